package io.hanse.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What enrollment made the agent: its name and the systems it may report on (both chosen by the
 * operator who created the token), the fingerprint the server knows its key by, and the server.
 * Kept in {@code identity.json} in the state directory.
 */
public record Identity(String agent, List<String> systems, String fingerprint, String server, Instant enrolled) {

    /** The identity's file in the state directory. */
    public static final String FILE = "identity.json";
    private static final int MAX_NAME_CHARS = 200;
    private static final int MAX_SYSTEMS = 1000;

    /** Copies the list so that the identity stays immutable. */
    public Identity {
        systems = List.copyOf(systems);
    }

    /**
     * Returns the identity a server's enrollment answer gives, checked field by field: the answer is
     * data, never trusted for more than names.
     *
     * @param fingerprint the fingerprint of the key the agent enrolled with; the answer must repeat it if
     *     it names one
     * @throws IllegalArgumentException naming what is wrong with the answer
     */
    public static Identity fromEnrollment(JsonNode answer, String fingerprint, String server, Instant now) {
        String agent = name(answer.path("agent"), "agent");
        JsonNode systems = answer.path("systems");
        if (!systems.isArray() || systems.size() > MAX_SYSTEMS) {
            throw new IllegalArgumentException("systems is not a list of at most " + MAX_SYSTEMS + " names");
        }
        List<String> names = new ArrayList<>();
        systems.forEach(system -> names.add(name(system, "a system")));
        JsonNode answered = answer.path("fingerprint");
        if (!answered.isMissingNode() && !fingerprint.equals(answered.asText())) {
            throw new IllegalArgumentException("the server knows a different key (" + name(answered, "fingerprint")
                    + ") than the one the agent enrolled with (" + fingerprint + ")");
        }
        return new Identity(agent, names, fingerprint, server, now);
    }

    /**
     * Returns the identity stored in the state directory, if the agent has enrolled.
     *
     * @throws IllegalStateException if the file exists but cannot be read as an identity
     */
    public static Optional<Identity> load(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode json = Json.parse(bytes);
        try {
            List<String> systems = new ArrayList<>();
            json.path("systems").forEach(system -> systems.add(system.asText()));
            return Optional.of(new Identity(name(json.path("agent"), "agent"), systems,
                    name(json.path("fingerprint"), "fingerprint"), name(json.path("server"), "server"),
                    Instant.parse(json.path("enrolled").asText())));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); enroll again", e);
        }
    }

    /** Writes the identity to the state directory. */
    public void save(Path stateDir) {
        ObjectNode json = Json.object();
        json.put("agent", agent);
        ArrayNode list = json.putArray("systems");
        systems.forEach(list::add);
        json.put("fingerprint", fingerprint);
        json.put("server", server);
        json.put("enrolled", enrolled.toString());
        StateFiles.writeAtomically(stateDir.resolve(FILE), Json.prettyBytes(json), false);
    }

    /** Returns the system facts are about when the configuration names none: the first enrolled one. */
    public Optional<String> firstSystem() {
        return systems.stream().findFirst();
    }

    private static String name(JsonNode node, String what) {
        if (!node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > MAX_NAME_CHARS
                || node.textValue().chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " is not a name of 1 to " + MAX_NAME_CHARS
                    + " printable characters");
        }
        return node.textValue();
    }
}
