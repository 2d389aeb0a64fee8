package io.hanse.kernel.security.command;

import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Reads passwords from the console, masked: a password is never echoed nor taken from history. */
final class PasswordPrompt {

    static final char MASK = '*';

    /** Reads one line from the console; Karaf's {@code Session::readLine}. */
    @FunctionalInterface
    interface LineReader {
        String readLine(String prompt, Character mask) throws IOException;
    }

    private PasswordPrompt() {
    }

    /**
     * Asks for a password once, such as the current one.
     *
     * @throws InvalidRequestException if none is given
     */
    static char[] ask(LineReader console, String prompt) {
        String line;
        try {
            line = console.readLine(prompt, MASK);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password from the console", e);
        } catch (UnsupportedOperationException e) {
            // A session without a terminal, such as a command piped into bin/client or run by a script.
            throw new InvalidRequestException("there is no terminal to ask for the password on; give it as an"
                    + " option (--password) or run the command in an interactive shell");
        }
        if (line == null || line.isEmpty()) {
            throw new InvalidRequestException("no password given");
        }
        return line.toCharArray();
    }

    /**
     * Asks for a new password twice.
     *
     * @throws InvalidRequestException if none is given or the two differ
     */
    static char[] askNew(LineReader console, String prompt) {
        char[] password = ask(console, prompt);
        char[] again = ask(console, "Repeat " + Character.toLowerCase(prompt.charAt(0)) + prompt.substring(1));
        try {
            if (!Arrays.equals(password, again)) {
                forget(password);
                throw new InvalidRequestException("the two passwords differ; nothing was changed");
            }
            return password;
        } finally {
            forget(again);
        }
    }

    /** Overwrites a password once it has been used. */
    static void forget(char[] password) {
        if (password != null) {
            Arrays.fill(password, '\0');
        }
    }
}
