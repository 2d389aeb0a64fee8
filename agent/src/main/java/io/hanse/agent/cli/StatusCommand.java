package io.hanse.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.agent.common.Text;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.daemon.StatusBoard;
import io.hanse.agent.identity.Identity;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code hanse-agent status}: the identity, the server, and what the daemon last wrote to its status
 * file (spool, losses, whether the server refuses the agent, last send, last error). Reads local files
 * only, so it works whether or not the daemon runs.
 */
public final class StatusCommand {

    private final Console console;

    /** Creates the command on {@code console}. */
    public StatusCommand(Console console) {
        this.console = console;
    }

    /** Prints the status; returns 0, or 1 if the agent is not enrolled. */
    public int run(Arguments arguments) {
        AgentConfig config = AgentConfig.load(arguments.config());
        PrintStream out = console.out();
        Optional<Identity> identity = Identity.load(config.stateDir());
        line("server", config.server().toString());
        if (identity.isEmpty()) {
            line("agent", "not enrolled (run hanse-agent enroll)");
        } else {
            line("agent", identity.get().agent() + " (" + identity.get().fingerprint() + ")");
            line("systems", String.join(", ", identity.get().systems()));
            line("enrolled", identity.get().enrolled() + " with " + identity.get().server());
        }
        Optional<JsonNode> status = StatusBoard.read(config.stateDir());
        if (status.isEmpty()) {
            line("daemon", "has not run yet");
        } else {
            JsonNode json = status.get();
            line("daemon", daemon(json) + "; status written " + json.path("updated").asText("?"));
            JsonNode spool = json.path("spool");
            line("spool", spool.path("pendingRecords").asLong() + " observations ("
                    + spool.path("pendingBytes").asLong() + " bytes) pending; " + spool.path("dropped").asLong()
                    + " dropped, " + spool.path("torn").asLong() + " torn, " + spool.path("unwritten").asLong()
                    + " unwritten, " + spool.path("rejected").asLong() + " rejected");
            JsonNode refused = json.path("refused");
            if (refused.isObject()) {
                // Few requests go through then: the spool grows, and the last send is old.
                line("refused", "since " + refused.path("since").asText("?") + " the server refuses this agent ("
                        + refused.path("problem").asText() + "); the spool keeps what it cannot send");
            }
            line("last send", json.path("lastSend").asText("never"));
            JsonNode error = json.path("lastError");
            line("last error", error.path("message").isTextual()
                    ? error.path("time").asText() + " " + error.path("message").asText() : "none");
        }
        return identity.isPresent() ? 0 : 1;
    }

    private static String daemon(JsonNode status) {
        if (status.path("stopped").isTextual()) {
            return "stopped at " + status.path("stopped").asText();
        }
        long pid = status.path("pid").asLong();
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? "running (pid " + pid + ")" : "not running (pid " + pid + " is gone)";
    }

    private void line(String label, String value) {
        console.out().printf("%-11s %s%n", label, Text.printable(value, 2000));
    }
}
