/**
 * Systems and their status in memory: the membership graph, dynamic selection, cycle checks and the
 * incremental status roll-up, behind the kernel's system and status services.
 */
package io.hanse.kernel.core.internal.system;
