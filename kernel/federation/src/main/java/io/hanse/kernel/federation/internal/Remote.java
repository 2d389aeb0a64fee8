package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.HanseException;
import io.hanse.api.federation.PeerMessage;
import io.hanse.api.federation.PeerMessageHandler;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.TooLargeException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Scope;
import io.hanse.api.status.Status;
import io.hanse.api.status.StatusSink;
import io.hanse.api.system.ManagedSystem;
import io.hanse.api.system.SystemAdminService;
import io.hanse.api.system.SystemDraft;
import io.hanse.api.system.SystemService;
import io.hanse.api.timeline.EventDraft;
import io.hanse.api.timeline.Source;
import io.hanse.api.timeline.Timeline;
import io.hanse.kernel.federation.internal.Link.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side: keeps each peer's granted systems here as remote systems named
 * {@code peer/slug}, with their status and their timeline. A peer speaks only about systems it
 * granted in its latest snapshot; anything else is refused and audited, and the rest of the batch
 * still applies.
 */
final class Remote {

    private static final Logger LOG = LoggerFactory.getLogger(Remote.class);

    private final SystemAdminService admin;
    private final SystemService systems;
    private final Timeline timeline;
    /** Audits and counts what a peer sent that is refused. */
    private final BiConsumer<Peer, String> refuse;
    /** The plugins' handlers, by message type. */
    private final Function<String, PeerMessageHandler> handlers;
    /** Whether a peer may ask for an action on one of this instance's systems. */
    private final Permits permits;
    /** Each peer's remote systems: their slug on the peer, by that slug. */
    private final Map<String, Set<String>> granted = new ConcurrentHashMap<>();
    private volatile StatusSink sink;

    /** Says whether a peer may ask for an action on one of this instance's systems, by slug. */
    @FunctionalInterface
    interface Permits {
        boolean test(Peer peer, String action, String system);
    }

    Remote(SystemAdminService admin, SystemService systems, Timeline timeline, BiConsumer<Peer, String> refuse,
            Function<String, PeerMessageHandler> handlers, Permits permits) {
        this.admin = admin;
        this.handlers = handlers;
        this.permits = permits;
        this.systems = systems;
        this.timeline = timeline;
        this.refuse = refuse;
    }

    /** Reports remote systems' status from now on; what is known already is reported at once. */
    void start(StatusSink statusSink) {
        sink = statusSink;
    }

    void stop() {
        sink = null;
    }

    /** Applies messages a peer sent, in order. */
    void receive(Peer peer, List<Message> messages) {
        Set<String> known = granted(peer.name());
        List<EventDraft> events = new ArrayList<>();
        for (Message message : messages) {
            switch (message.type()) {
                case Delivery.SNAPSHOT -> {
                    append(peer, events);
                    known = snapshot(peer, message.body());
                }
                case Delivery.EVENT -> event(peer, known, message.body(), events);
                case Delivery.STATUS -> status(peer, known, message.body());
                case Delivery.WITHDRAWN -> { }
                case Delivery.ASK -> ask(peer, message.body());
                default -> plugin(peer, known, message);
            }
        }
        append(peer, events);
    }

    /**
     * The peer no longer grants these systems: they go at once, though not amid messages of the peer
     * being applied (a snapshot would put back what it read before), nor after the peer was removed.
     */
    void revoked(Peer peer, List<String> slugs) {
        peer.changing(() -> {
            Set<String> known = new HashSet<>(granted(peer.name()));
            slugs.stream().filter(known::remove).forEach(slug -> remove(peer, slug));
            granted.put(peer.name(), Set.copyOf(known));
        });
    }

    /** The peer is gone: so are its remote systems. */
    void forget(Peer peer) {
        granted(peer.name()).forEach(slug -> remove(peer, slug));
        granted.remove(peer.name());
    }

    /** Returns a peer's remote systems' slugs on that peer. */
    Set<String> granted(String peer) {
        return granted.computeIfAbsent(peer, name -> {
            String prefix = name + "/";
            Set<String> slugs = new HashSet<>();
            systems.list(null, null).stream().map(ManagedSystem::slug).filter(slug -> slug.startsWith(prefix))
                    .forEach(slug -> slugs.add(slug.substring(prefix.length())));
            return Set.copyOf(slugs);
        });
    }

    private Set<String> snapshot(Peer peer, ObjectNode body) {
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (JsonNode entry : body.path("systems")) {
            entries.put(entry.path("slug").asText(), entry);
        }
        Caller caller = caller(peer);
        Set<String> applied = new HashSet<>();
        Set<String> visiting = new HashSet<>();
        for (String slug : entries.keySet()) {
            put(peer, caller, slug, entries, applied, visiting);
        }
        for (String gone : granted(peer.name())) {
            if (!applied.contains(gone)) {
                remove(peer, gone);
            }
        }
        Set<String> now = Set.copyOf(applied);
        granted.put(peer.name(), now);
        if (body.path("resync").asBoolean(false)) {
            peer.resyncs.incrementAndGet();
        }
        return now;
    }

    /** Puts one remote system after its members, so that they exist when it lists them. */
    private void put(Peer peer, Caller caller, String slug, Map<String, JsonNode> entries, Set<String> applied,
            Set<String> visiting) {
        if (applied.contains(slug) || !visiting.add(slug)) {
            return;
        }
        JsonNode entry = entries.get(slug);
        List<String> members = new ArrayList<>();
        for (JsonNode member : entry.path("members")) {
            String name = member.asText();
            if (entries.containsKey(name)) {
                put(peer, caller, name, entries, applied, visiting);
                if (applied.contains(name)) {
                    members.add(peer.name() + "/" + name);
                }
            }
        }
        try {
            Map<String, String> labels = new HashMap<>();
            entry.path("labels").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asText()));
            List<String> owners = new ArrayList<>();
            entry.path("owners").forEach(owner -> owners.add(owner.asText()));
            SystemDraft draft = SystemDraft.builder(peer.name() + "/" + SystemDraft.slug(slug))
                    .name(entry.path("name").asText(null))
                    .kind(entry.path("kind").asText(null))
                    .labels(labels)
                    .description(entry.path("description").asText(null))
                    .owners(owners)
                    .members(members)
                    .build();
            admin.putRemote(UUID.fromString(entry.path("id").asText()), draft, caller);
            applied.add(slug);
            report(peer, slug, entry);
        } catch (HanseException | IllegalArgumentException e) {
            refuse.accept(peer, "system " + slug + " in a snapshot: " + e.getMessage());
        }
    }

    private void remove(Peer peer, String slug) {
        String local = peer.name() + "/" + slug;
        StatusSink current = sink;
        if (current != null) {
            current.clear(local);
        }
        if (systems.find(local).isPresent()) {
            admin.delete(local, caller(peer));
        }
    }

    private void event(Peer peer, Set<String> known, ObjectNode body, List<EventDraft> events) {
        String slug = body.path("system").asText();
        if (!known.contains(slug)) {
            refuse.accept(peer, "an event about " + slug + ", which it has not granted to this instance");
            return;
        }
        try {
            events.add(new EventDraft(id(peer.name(), body.path("id").asText()), body.path("type").asText(),
                    peer.name() + "/" + slug, Instant.parse(body.path("time").asText()),
                    new Source(Source.Kind.PEER, peer.name()), body.path("body").toString()));
        } catch (HanseException | java.time.format.DateTimeParseException e) {
            refuse.accept(peer, "an event about " + slug + ": " + e.getMessage());
        }
    }

    private void status(Peer peer, Set<String> known, ObjectNode body) {
        String slug = body.path("system").asText();
        if (!known.contains(slug)) {
            refuse.accept(peer, "the status of " + slug + ", which it has not granted to this instance");
            return;
        }
        report(peer, slug, body);
    }

    /** A plugin's message goes to its handler; a type no handler takes is counted and skipped. */
    private void plugin(Peer peer, Set<String> known, Message message) {
        PeerMessageHandler handler = handlers.apply(message.type());
        if (handler == null) {
            peer.unknownTypes.incrementAndGet();
            return;
        }
        String slug = message.body().path("system").asText();
        if (!known.contains(slug)) {
            refuse.accept(peer, "a " + message.type() + " message about " + slug + ", which it has not granted"
                    + " to this instance");
            return;
        }
        handle(peer, handler, new PeerMessage(message.body().path("id").asText(), peer.name(), message.type(),
                peer.name() + "/" + slug, CanonicalJson.text(message.body().path("body"))));
    }

    /**
     * The peer asks for an action on one of this instance's systems: its handler gets it if a grant
     * to the peer names the action and covers the system; otherwise it is refused and audited. An
     * action no handler here takes is counted as an unknown type.
     */
    private void ask(Peer peer, ObjectNode body) {
        String action = body.path("action").asText();
        String slug = body.path("system").asText();
        if (!permits.test(peer, action, slug)) {
            refuse.accept(peer, "it asked for " + action + " on " + slug + ", which no grant to it allows");
            return;
        }
        PeerMessageHandler handler = handlers.apply(action);
        if (handler == null) {
            peer.unknownTypes.incrementAndGet();
            return;
        }
        handle(peer, handler, new PeerMessage(body.path("id").asText(), peer.name(), action, slug,
                CanonicalJson.text(body.path("body"))));
    }

    private static void handle(Peer peer, PeerMessageHandler handler, PeerMessage message) {
        try {
            handler.receive(message);
        } catch (RuntimeException e) {
            peer.handlerFailures.incrementAndGet();
            LOG.warn("The handler of {} failed on a message from {}; it is not delivered again", message.type(),
                    peer.name(), e);
        }
    }

    private void report(Peer peer, String slug, JsonNode body) {
        StatusSink current = sink;
        if (current == null || !body.path("status").isTextual()) {
            return;
        }
        try {
            String summary = body.path("summary").asText("");
            current.report(peer.name() + "/" + slug, Status.ofLabel(body.path("status").asText()),
                    "on " + peer.name() + (summary.isEmpty() ? "" : ": " + summary));
        } catch (IllegalArgumentException e) {
            refuse.accept(peer, "the status of " + slug + ": " + e.getMessage());
        }
    }

    /**
     * Appends a batch's events in one transaction; if the timeline refuses one (too large for this
     * instance's limit, say), each is tried alone and only the refused ones are left out.
     */
    private void append(Peer peer, List<EventDraft> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            timeline.append(List.copyOf(events));
        } catch (InvalidRequestException | TooLargeException | NotFoundException refusedBatch) {
            for (EventDraft event : events) {
                try {
                    timeline.append(event);
                } catch (InvalidRequestException | TooLargeException | NotFoundException e) {
                    refuse.accept(peer, "event " + event.id() + ": " + e.getMessage());
                }
            }
        }
        events.clear();
    }

    /**
     * A remote event's id here: the peer's name and its id there, so that ids of different instances
     * cannot collide and a repeated message stores nothing twice.
     */
    static String id(String peer, String id) {
        String local = peer + ":" + id;
        if (local.length() <= 200) {
            return local;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return peer + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The peer, as the caller that changes its remote systems: it holds no permission at all. */
    static Caller caller(Peer peer) {
        Source source = new Source(Source.Kind.PEER, peer.name());
        return new Caller() {
            @Override
            public Source source() {
                return source;
            }

            @Override
            public boolean authenticated() {
                return true;
            }

            @Override
            public Scope scope(String permission) {
                return Scope.NOWHERE;
            }
        };
    }
}
