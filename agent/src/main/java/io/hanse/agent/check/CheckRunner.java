package io.hanse.agent.check;

import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.config.Durations;
import java.util.List;

/** Runs a configured check once and reads its result by the Nagios plugin convention. */
public final class CheckRunner {

    private final ProcessRunner processes;

    /** Creates a runner that starts checks through {@code processes}. */
    public CheckRunner(ProcessRunner processes) {
        this.processes = processes;
    }

    /**
     * Runs {@code check} and returns its result; a timeout, an unknown exit code or a program that
     * cannot start is an {@link CheckStatus#UNKNOWN} result that says why.
     *
     * @throws InterruptedException if the calling thread is interrupted; the check is killed first
     */
    public CheckResult run(CheckSpec check) throws InterruptedException {
        ProcessResult run = processes.run(check.command(), null, check.timeout());
        long interval = check.interval().toSeconds();
        if (run.failure() != null) {
            return unknown(check, run, run.failure());
        }
        if (run.timedOut()) {
            return unknown(check, run, "check timed out after " + Durations.format(check.timeout()));
        }
        PluginOutput output = PluginOutput.parse(run.output());
        String text = output.output().isEmpty() ? noOutput(run) : output.output();
        String perfdataText = output.perfdata();
        String cut = null;
        if (run.outputCut() && !perfdataText.isEmpty()) {
            // Standard output ended in the perfdata: its last item may be cut short (bytes=123456789 kept as
            // bytes=1234), so it goes.
            int last = Perfdata.lastItemStart(perfdataText);
            if (run.output().stripTrailing().endsWith(perfdataText.substring(last))) {
                cut = "standard output past " + ProcessRunner.MAX_OUTPUT_BYTES / 1024 + " KiB was left out, and"
                        + " the perfdata item it cut short";
                perfdataText = perfdataText.substring(0, last).strip();
            }
        }
        Perfdata perfdata = Perfdata.parse(perfdataText);
        CheckStatus status = CheckStatus.of(run.exitCode());
        if (status.code() != run.exitCode()) {
            text = "the plugin exited with code " + run.exitCode() + ": " + text;
        }
        String perfdataError = cut == null ? perfdata.error() : perfdata.error() == null ? cut
                : cut + "; " + perfdata.error();
        return new CheckResult(check.name(), status, run.exitCode(), text, output.longOutput(), perfdata.metrics(),
                perfdataError, run.durationMs(), false, interval, check.maxAttempts());
    }

    private static CheckResult unknown(CheckSpec check, ProcessResult run, String why) {
        return new CheckResult(check.name(), CheckStatus.UNKNOWN, null, why, "", List.of(), null, run.durationMs(),
                run.timedOut(), check.interval().toSeconds(), check.maxAttempts());
    }

    /** What Nagios says for a plugin that printed nothing on standard output. */
    private static String noOutput(ProcessResult run) {
        String errors = run.errorOutput().strip();
        int newline = errors.indexOf('\n');
        return "(no output on stdout)" + (errors.isEmpty() ? "" : " stderr: "
                + (newline < 0 ? errors : errors.substring(0, newline)));
    }
}
