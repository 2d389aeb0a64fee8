package io.hanse.agent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a configured command line into arguments, the way a shell splits words but without any
 * of its other powers: no variables, globs, redirections or command substitution. Blanks separate
 * arguments; {@code '…'} keeps its text as is; {@code "…"} keeps its text with {@code \"} and
 * {@code \\} as escapes; outside quotes a backslash keeps the next character as is. It also tells
 * whether a command's program can run now.
 */
public final class CommandLine {

    private CommandLine() {
    }

    /**
     * Returns why the program of {@code command} (its absolute path, then its arguments) cannot run now:
     * it does not exist, is not a regular file or is not executable. Returns nothing if it can run.
     */
    public static Optional<String> unrunnable(List<String> command) {
        Path program = Path.of(command.get(0));
        if (!Files.isRegularFile(program)) {
            return Optional.of(program + " does not exist or is not a file");
        }
        if (!Files.isExecutable(program)) {
            return Optional.of(program + " is not executable");
        }
        return Optional.empty();
    }

    /**
     * Returns the arguments of {@code line}.
     *
     * @throws IllegalArgumentException if a quote is not closed or the line ends in a lone backslash
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("a single quote is not closed");
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 == line.length()) {
                    throw new IllegalArgumentException("the line ends in a lone backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** Appends the double-quoted text starting at {@code start} and returns the index of its closing quote. */
    private static int doubleQuoted(String line, int start, StringBuilder word) {
        for (int i = start; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw new IllegalArgumentException("a double quote is not closed");
    }
}
