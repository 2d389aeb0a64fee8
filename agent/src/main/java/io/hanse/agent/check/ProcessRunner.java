package io.hanse.agent.check;

import io.hanse.agent.common.Log;
import io.hanse.agent.config.CommandLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a configured program as a child process: never through a shell, standard input closed or read
 * from given bytes, at most 64 KiB of output kept (the rest drained), and the program with all its
 * descendants killed when it outlives its timeout.
 *
 * <p>The result comes when the program ends, with the output it wrote by then. A process it left
 * running in the background may still hold its output open; it is not the program's descendant any
 * more, so it cannot be found and is not killed, but the pipes are closed behind the program (see
 * {@link StreamCollector}): nothing of the agent waits for such a process, and if it writes later it
 * gets a broken pipe, as under a shell pipeline whose reader has gone.
 */
public final class ProcessRunner {

    /** How much standard output is kept. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;
    /** How much standard error is kept. */
    public static final int MAX_ERROR_BYTES = 4 * 1024;
    /** The environment variable a token may be passed in; children never see it. */
    private static final String TOKEN_VARIABLE = "HANSE_ENROLL_TOKEN";
    private static final long REAP_MILLIS = 2000;

    /**
     * Runs {@code command} (the program's absolute path, then its arguments) and returns what became of it.
     * A program that does not exist, is not a file or is not executable is not started, and the result
     * says so; this is looked at on every run, so a program installed later runs without a restart.
     *
     * @param input bytes for the program's standard input, or {@code null} to close it at once
     * @throws InterruptedException if the calling thread is interrupted; the program is killed first
     */
    public ProcessResult run(List<String> command, byte[] input, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        Optional<String> unrunnable = CommandLine.unrunnable(command);
        if (unrunnable.isPresent()) {
            return ProcessResult.notStarted(unrunnable.get(), millisSince(started));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(TOKEN_VARIABLE);
        Process process;
        try {
            process = start(builder, input);
        } catch (IOException e) {
            return ProcessResult.notStarted("cannot run " + command.get(0) + ": " + e.getMessage(),
                    millisSince(started));
        }
        String name = "child-" + process.pid();
        StreamCollector output = StreamCollector.start(process.getInputStream(), MAX_OUTPUT_BYTES, name + "-out");
        StreamCollector errors = StreamCollector.start(process.getErrorStream(), MAX_ERROR_BYTES, name + "-err");
        boolean exited = false;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            try {
                if (!exited) {
                    killTree(process);
                }
            } finally {
                try {
                    output.finish();
                } finally {
                    errors.finish();
                }
            }
        }
        return new ProcessResult(exited ? process.exitValue() : null, text(output), output.cut(), text(errors),
                !exited, null, millisSince(started));
    }

    /**
     * Starts the program with the input as its standard input, or that closed. The program reads the
     * input from a file rather than a pipe: a write to a full pipe waits for a reader, and if the
     * program does not read but leaves a process running that holds its input open, that write, the
     * thread making it and the JDK's process reaper would wait as long as that process lives; neither
     * closing the pipe nor an interrupt ends the wait. The file, which only the agent's user may read,
     * is deleted once the program has it open.
     */
    private static Process start(ProcessBuilder builder, byte[] input) throws IOException {
        if (input == null) {
            Process process = builder.start();
            close(process.getOutputStream());
            return process;
        }
        Path file = Files.createTempFile("hanse-agent-input-", "");
        try {
            Files.write(file, input);
            return builder.redirectInput(file.toFile()).start();
        } finally {
            delete(file);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            Log.warn("cannot delete " + file + ", the input of a program: " + e.getMessage());
        }
    }

    /** Kills the process and every descendant it had, then reaps it. */
    private static void killTree(Process process) throws InterruptedException {
        // Descendants are listed first: once the parent is dead they no longer count as its descendants.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        for (ProcessHandle descendant : descendants) {
            descendant.descendants().forEach(ProcessHandle::destroyForcibly);
            descendant.destroyForcibly();
        }
        process.waitFor(REAP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void close(OutputStream stdin) {
        try {
            stdin.close();
        } catch (IOException e) {
            // Closing the write end of a pipe to a child that already exited; nothing is lost.
        }
    }

    private static String text(StreamCollector collector) {
        return new String(collector.bytes(), StandardCharsets.UTF_8);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }
}
