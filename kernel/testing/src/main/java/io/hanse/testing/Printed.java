package io.hanse.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What a shell command prints to {@code System.out}, for tests. */
public final class Printed {

    private Printed() {
    }

    /** Runs something and returns what it printed. */
    public static String captured(Runnable running) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            running.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs something and returns the lines it printed. */
    public static List<String> lines(Runnable running) {
        return captured(running).lines().toList();
    }
}
