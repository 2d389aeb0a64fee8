/** The {@code example} shell scope. */
package io.hanse.example.command;
