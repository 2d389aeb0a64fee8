/** The kernel's instance identity and health checks. */
package io.hanse.kernel.core.internal;
