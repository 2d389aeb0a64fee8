package io.hanse.monitoring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.security.Caller;
import io.hanse.api.shell.ShellText;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Acknowledgements across federated instances. Acknowledging a problem of a remote system asks the
 * instance that owns it, as the action {@value #ACTION}; the owner acknowledges it only where a grant
 * to this instance names that action (the kernel checks that), with the asker as the author, and the
 * acknowledged status comes back here as the system's status. A request that finds no problem any
 * more is counted as the peer's handler failure there.
 */
@Component(service = {PeerAcks.class, PeerMessageHandler.class})
public final class PeerAcks implements PeerMessageHandler {

    /** The action a grant names to let a peer acknowledge problems. */
    public static final String ACTION = "monitoring.ack";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Who asked, as {@link ShellText#source} shows it on the asking instance. */
    private static final Pattern ASKER = Pattern.compile("[a-z]+(:[\\w.@-]{1,100})?");

    private final Checks checks;
    private final PeerMessages messages;

    @Activate
    public PeerAcks(@Reference Checks checks, @Reference PeerMessages messages) {
        this.checks = checks;
        this.messages = messages;
    }

    /**
     * Asks the instance that owns a remote system to acknowledge a check's problem.
     *
     * @return the request's id
     * @throws io.hanse.api.ForbiddenException without {@code monitoring:ack} on the system here
     * @throws io.hanse.api.InvalidRequestException if the comment is missing or too long, or the expiry past
     */
    public String ask(Caller caller, String system, String check, String comment, boolean sticky, Instant expires) {
        caller.require(MonitoringPermissions.ACK, system);
        if (!CheckResult.CHECK.matcher(check).matches()) {
            throw new InvalidRequestException("check: " + CheckResult.CHECK_RULE);
        }
        Checks.checkAck(comment, expires, Instant.now());
        ObjectNode body = JSON.createObjectNode().put("check", check).put("comment", comment).put("sticky", sticky)
                .put("by", ShellText.source(caller.source()));
        if (expires != null) {
            body.put("expires", expires.toString());
        }
        return messages.ask(ACTION, system, body.toString());
    }

    @Override
    public Set<String> types() {
        return Set.of(ACTION);
    }

    /** Acknowledges what a peer asked for, as {@code peer:ber (user:alice)}. */
    @Override
    public void receive(PeerMessage message) {
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an acknowledgement from " + message.peer() + " is not JSON", e);
        }
        String by = body.path("by").asText();
        String author = "peer:" + message.peer() + (ASKER.matcher(by).matches() ? " (" + by + ")" : "");
        checks.acknowledge(author, message.system(), body.path("check").asText(), body.path("comment").asText(null),
                body.path("sticky").asBoolean(false),
                body.path("expires").isTextual() ? Instant.parse(body.path("expires").asText()) : null);
    }
}
