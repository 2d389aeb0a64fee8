package io.hanse.agent.cli;

import io.hanse.agent.common.Version;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.daemon.Daemon;
import io.hanse.agent.daemon.Timing;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.Identity;

/**
 * {@code hanse-agent run}: runs the daemon in the foreground until SIGTERM or SIGINT, then stops it
 * gracefully and exits 0.
 */
public final class RunCommand {

    private final Console console;

    /** Creates the command on {@code console}. */
    public RunCommand(Console console) {
        this.console = console;
    }

    /** Runs until the process is told to stop; returns 1 at once if the agent is not enrolled. */
    public int run(Arguments arguments) {
        AgentConfig config = ConfigWarnings.load(arguments, console);
        Identity identity = Identity.load(config.stateDir()).orElse(null);
        if (identity == null || !AgentKey.exists(config.stateDir())) {
            console.err().println("hanse-agent: not enrolled: run hanse-agent enroll first");
            return 1;
        }
        Daemon daemon = new Daemon(config, identity, AgentKey.load(config.stateDir()), Version.current(),
                Timing.standard());
        daemon.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stop();
            // A stop on SIGTERM or SIGINT is the normal end of a daemon, not a failure (143 or 130).
            Runtime.getRuntime().halt(0);
        }, "hanse-stop"));
        try {
            daemon.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
