package io.hanse.agent.check;

/**
 * What became of one run of a configured program.
 *
 * @param exitCode the exit code, or {@code null} if the program did not start or was killed at its timeout
 * @param output standard output as UTF-8 text, at most {@link ProcessRunner#MAX_OUTPUT_BYTES} of it
 * @param outputCut whether there was more standard output than {@code output}
 * @param errorOutput standard error as UTF-8 text, at most {@link ProcessRunner#MAX_ERROR_BYTES} of it
 * @param timedOut whether the program (and its descendants) were killed at the timeout
 * @param failure why the program could not start, or {@code null}
 * @param durationMs how long it ran
 */
public record ProcessResult(Integer exitCode, String output, boolean outputCut, String errorOutput, boolean timedOut,
        String failure, long durationMs) {

    /** A program that could not be started at all. */
    static ProcessResult notStarted(String failure, long durationMs) {
        return new ProcessResult(null, "", false, "", false, failure, durationMs);
    }
}
