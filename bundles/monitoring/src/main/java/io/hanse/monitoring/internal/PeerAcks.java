package io.hanse.monitoring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.federation.PeerMessages;
import io.hanse.api.security.Caller;
import io.hanse.api.shell.ShellText;
import io.hanse.api.timeline.Event;
import io.hanse.api.timeline.EventPage;
import io.hanse.api.timeline.EventQuery;
import io.hanse.api.timeline.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledgements across federated instances. Acknowledging a problem of a remote system asks the
 * instance that owns it, as the action {@value #ACTION}; the owner acknowledges it only where a grant
 * to this instance names that action (the kernel checks that), with the asker as the author, and the
 * acknowledged status comes back here as the system's status. A request the owner refuses, as it finds no
 * problem any more, no such check, or a comment too long, is logged there at INFO: an answer, not a failure.
 */
@Component(service = {PeerAcks.class, PeerMessageHandler.class})
public final class PeerAcks implements PeerMessageHandler {

    /** The action a grant names to let a peer acknowledge problems. */
    public static final String ACTION = "monitoring.ack";
    private static final Logger LOG = LoggerFactory.getLogger(PeerAcks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far the asking instance's clock may be from this one's, as the kernel takes a peer's times. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** How many messages' ids are remembered: one delivered again acknowledges nothing a second time. */
    static final int REMEMBERED = 10_000;
    /**
     * Who asked, as {@link ShellText#source} shows it on the asking instance; bounded so that the
     * author, with the peer's name, fits the 200 characters an acknowledgement's author is kept in.
     */
    private static final Pattern ASKER = Pattern.compile("[a-z]{1,16}(:[\\w.@-]{1,100})?");

    private final Checks checks;
    private final PeerMessages messages;
    private final Timeline timeline;
    /** The ids of the messages taken, by peer, the oldest dropped past {@link #REMEMBERED}; guarded by itself. */
    private final Set<String> taken = Collections.newSetFromMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    @Activate
    public PeerAcks(@Reference Checks checks, @Reference PeerMessages messages, @Reference Timeline timeline) {
        this.checks = checks;
        this.messages = messages;
        this.timeline = timeline;
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
                .put("by", ShellText.source(caller.source())).put("asked", Instant.now().toString());
        if (expires != null) {
            body.put("expires", expires.toString());
        }
        seen(system, check).ifPresent(seen -> body.put("seen", seen.toString()));
        return messages.ask(ACTION, system, body.toString());
    }

    /**
     * Returns the time of the check's latest hard change that its owner told this instance of, to the
     * millisecond, on the owner's clock: its newest {@code monitoring.state-changed} event about the
     * check among the last {@value EventQuery#MAX_LIMIT} of those about the system here; empty if there
     * is none among them.
     */
    private Optional<Instant> seen(String system, String check) {
        EventPage page = timeline.query(new EventQuery(system, false, Set.of(Change.Kind.HARD.eventType()), null, null,
                EventQuery.MAX_LIMIT, null, null));
        return page.events().stream().filter(event -> check.equals(checkOf(event))).map(Event::time)
                .max(Comparator.naturalOrder()).map(time -> time.truncatedTo(ChronoUnit.MILLIS));
    }

    private static String checkOf(Event event) {
        try {
            return JSON.readTree(event.body()).path("check").asText();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public Set<String> types() {
        return Set.of(ACTION);
    }

    /**
     * Acknowledges what a peer asked for, as {@code peer:ber (user:alice)}, once: not again when the
     * message is delivered again, nor a problem that changed since it was asked (see
     * {@link Checks#acknowledge(String, String, String, String, boolean, Instant, Instant)}).
     */
    @Override
    public void receive(PeerMessage message) {
        synchronized (taken) {
            if (!taken.add(message.peer() + " " + message.id())) {
                return;
            }
        }
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an acknowledgement from " + message.peer() + " is not JSON", e);
        }
        String by = body.path("by").asText();
        String author = "peer:" + message.peer() + (ASKER.matcher(by).matches() ? " (" + by + ")" : "");
        try {
            checks.acknowledge(author, message.system(), body.path("check").asText(),
                    body.path("comment").asText(null), body.path("sticky").asBoolean(false), instant(body, "expires"),
                    instant(body, "asked"), instant(body, "seen"));
        } catch (ConflictException | NotFoundException | InvalidRequestException refused) {
            // An answer, not a failure of this handler: the problem is gone, changed, or someone here has it; or
            // there is no such check or system here, or the request says what an acknowledgement may not.
            LOG.info("Did not acknowledge {}/{} for {}: {}", message.system(), body.path("check").asText(), author,
                    refused.getMessage());
        }
    }

    /** A time the asking instance sent; {@code null} if it sent none, as an older plugin there does not. */
    private static Instant instant(JsonNode body, String field) {
        return body.path(field).isTextual() ? Instant.parse(body.path(field).asText()) : null;
    }
}
