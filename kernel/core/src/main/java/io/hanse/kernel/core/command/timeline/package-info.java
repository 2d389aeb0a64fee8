/** The {@code timeline:*} shell commands: read and follow the timeline. */
package io.hanse.kernel.core.command.timeline;
