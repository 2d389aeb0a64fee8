package io.hanse.agent.cli;

import io.hanse.agent.check.CheckResult;
import io.hanse.agent.check.CheckRunner;
import io.hanse.agent.check.CheckStatus;
import io.hanse.agent.check.Metric;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Version;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.config.CheckSpec;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.Identity;
import io.hanse.agent.identity.RequestSigner;
import io.hanse.agent.spool.Batch;
import io.hanse.agent.spool.BootEpoch;
import io.hanse.agent.spool.Observation;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code hanse-agent check-now NAME}: runs a configured check at once, prints its result and, if the
 * agent is enrolled, sends it as a batch of its own (with its own boot epoch, so that it never
 * collides with the daemon's observations). Exits with the check's Nagios status code.
 */
public final class CheckNowCommand {

    private final Console console;

    /** Creates the command on {@code console}. */
    public CheckNowCommand(Console console) {
        this.console = console;
    }

    /** Runs the check and returns its status code; 3 (unknown) if there is no such check. */
    public int run(Arguments arguments) {
        AgentConfig config = AgentConfig.load(arguments.config());
        if (arguments.operands().size() != 1) {
            console.err().println("hanse-agent: check-now needs the name of one configured check");
            return CheckStatus.UNKNOWN.code();
        }
        String name = arguments.operands().get(0);
        Optional<CheckSpec> check = config.check(name);
        if (check.isEmpty()) {
            console.err().println("hanse-agent: no check named " + name + " is configured");
            return CheckStatus.UNKNOWN.code();
        }
        CheckResult result;
        try {
            result = new CheckRunner(new ProcessRunner()).run(check.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckStatus.UNKNOWN.code();
        }
        print(result);
        send(config, check.get(), result);
        return result.status().code();
    }

    private void print(CheckResult result) {
        PrintStream out = console.out();
        out.println(result.summary());
        if (!result.longOutput().isEmpty()) {
            result.longOutput().lines().forEach(line -> out.println("  " + line));
        }
        for (Metric metric : result.metrics()) {
            out.println("  " + metric.label() + " = " + (metric.value() == null ? "U" : metric.value().toPlainString())
                    + metric.unit() + limit("warn", metric.warn()) + limit("crit", metric.crit())
                    + limit("min", metric.min()) + limit("max", metric.max()));
        }
        if (result.perfdataError() != null) {
            out.println("  perfdata error: " + result.perfdataError());
        }
    }

    private void send(AgentConfig config, CheckSpec check, CheckResult result) {
        Optional<Identity> identity = Identity.load(config.stateDir());
        if (identity.isEmpty() || !AgentKey.exists(config.stateDir())) {
            console.out().println("not sent: the agent is not enrolled");
            return;
        }
        long bootEpoch = BootEpoch.next(config.stateDir(), Clock.systemUTC());
        Observation observation = new Observation(1, Observation.RESULT, check.system(), Instant.now(),
                result.toJson());
        RequestSigner signer = new RequestSigner(AgentKey.load(config.stateDir()), Clock.systemUTC());
        try {
            Reply reply = new HanseClient(config.restRoot(), signer, Version.current())
                    .post("agents/self/observations", Batch.of(bootEpoch, List.of(observation)).body());
            console.out().println(reply.ok() ? "sent to " + config.server() + " (boot " + bootEpoch + ", seq 1)"
                    : "not sent: " + reply.problem());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String limit(String label, String value) {
        return value == null ? "" : "  " + label + " " + value;
    }
}
