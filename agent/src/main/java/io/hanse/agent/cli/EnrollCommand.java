package io.hanse.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.common.StateFiles;
import io.hanse.agent.common.Text;
import io.hanse.agent.common.Version;
import io.hanse.agent.config.AgentConfig;
import io.hanse.agent.facts.Host;
import io.hanse.agent.identity.AgentKey;
import io.hanse.agent.identity.Identity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code hanse-agent enroll}: creates the agent's key pair if there is none, redeems a one-time
 * enrollment token with its public key, and stores the identity the server answers with. The
 * token is never printed or logged, nor is the private key.
 */
public final class EnrollCommand {

    /** The environment variable a token may come in. */
    public static final String TOKEN_VARIABLE = "HANSE_ENROLL_TOKEN";
    private static final int MAX_TOKEN_CHARS = 1000;

    private final Console console;

    /** Creates the command on {@code console}. */
    public EnrollCommand(Console console) {
        this.console = console;
    }

    /** Enrolls and returns the exit code: 0 enrolled, 1 refused or failed, 2 no usable token. */
    public int run(Arguments arguments) {
        AgentConfig config = ConfigWarnings.load(arguments, console);
        String token = token(arguments);
        if (token == null) {
            console.err().println("hanse-agent: no token: give --token - and the token on standard input, or set "
                    + TOKEN_VARIABLE);
            return 2;
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            console.err().println("hanse-agent: the token is empty, too long or holds blanks or control characters");
            return 2;
        }
        Path stateDir = config.stateDir();
        StateFiles.createPrivateDirectory(stateDir);
        String hostname = Host.name();
        AgentKey key = key(stateDir, hostname);
        ObjectNode body = Json.object();
        body.put("token", token);
        body.put("publicKey", key.openSsh(hostname));
        body.put("version", Version.current());
        body.put("hostname", hostname);
        Reply reply;
        try {
            reply = new HanseClient(config.restRoot(), null, Version.current()).enroll(Json.bytes(body));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (!reply.ok()) {
            console.err().println("hanse-agent: enrollment refused: " + reply.problemWithout(token));
            return 1;
        }
        Identity identity;
        try {
            identity = Identity.fromEnrollment(reply.json(), key.fingerprint(), config.server().toString(),
                    Instant.now().truncatedTo(ChronoUnit.SECONDS));
        } catch (IllegalArgumentException e) {
            console.err().println("hanse-agent: the server's enrollment answer is malformed: " + e.getMessage());
            return 1;
        }
        identity.save(stateDir);
        String agent = Text.printable(identity.agent(), 200);
        console.out().println("enrolled as agent " + agent + " with " + config.server());
        console.out().println("  systems: " + Text.printable(String.join(", ", identity.systems()), 2000));
        console.out().println("  key:     " + key.fingerprint() + " (" + stateDir.resolve(AgentKey.PUBLIC_FILE) + ")");
        return 0;
    }

    private String token(Arguments arguments) {
        if ("-".equals(arguments.token())) {
            try {
                String line = new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8))
                        .readLine();
                return line == null ? null : line.strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token from standard input", e);
            }
        }
        return arguments.token() != null ? arguments.token() : console.env().get(TOKEN_VARIABLE);
    }

    private static AgentKey key(Path stateDir, String hostname) {
        if (AgentKey.exists(stateDir)) {
            return AgentKey.load(stateDir);
        }
        AgentKey key = AgentKey.generate();
        key.save(stateDir, hostname);
        Log.info("created the agent's key pair in " + stateDir + ": " + key.fingerprint());
        return key;
    }
}
