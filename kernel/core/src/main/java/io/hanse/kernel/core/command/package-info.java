/** The {@code hanse} shell scope. */
package io.hanse.kernel.core.command;
