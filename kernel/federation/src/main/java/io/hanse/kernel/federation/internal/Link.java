package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.api.InvalidRequestException;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a peer, from either end: the handshake that authenticates both sides and agrees
 * on a protocol version, then sequenced batches of messages in both directions with acknowledgements.
 *
 * <p>The handshake: the accepting side sends {@code hello} with a fresh nonce; the dialing side
 * answers {@code hello} with its own nonce, the first one, the link's id and the highest sequence
 * number it has received; the accepting side checks that frame with the key it pinned for that link
 * and answers {@code welcome} with the chosen version, the dialer's nonce and what it has received.
 * Each side has then signed the other's fresh nonce. Every frame is a signed {@link Envelope}; a frame
 * that does not verify with the pinned key, is addressed to someone else, or breaks the sequence ends
 * the connection and is audited. From protocol 2 on, the control frames of an open link ({@code ack},
 * {@code revoked}) are bound to the connection as well: each names the nonce its receiver sent and is
 * numbered, so that one recorded earlier is refused. Message types this side does not know are counted
 * and skipped.
 *
 * <p>Batches are checked as they arrive and applied by a thread of their own, which takes every
 * batch waiting at once: a receiver that falls behind applies more per transaction instead of falling
 * further behind. A third thread stores how far that got and then acknowledges it, while the next
 * batches are applied. A thread of these that fails, even with an {@link Error}, ends the link, so that
 * a new connection starts them all again rather than one staying open with nothing applied or sent.
 */
final class Link {

    /**
     * Protocol versions this side speaks; the highest both speak is used. Version 2 binds control
     * frames to the connection; version 1, without that, is spoken with instances from before it.
     */
    static final List<Integer> PROTOCOLS = List.of(1, 2);
    /** How long a handshake may take: either side closes a link whose handshake is not over by then. */
    static final Duration HANDSHAKE = Duration.ofSeconds(10);

    /**
     * Control frames are not sequenced with the messages (their sequence number is 0); from protocol
     * 2 on, an open link's are numbered in their body.
     */
    static final String HELLO = "hello";
    static final String WELCOME = "welcome";
    static final String ACK = "ack";
    static final String REVOKED = "revoked";
    /** A batch of sequenced messages; its sequence number is that of the first. */
    static final String MESSAGES = "messages";

    private static final Logger LOG = LoggerFactory.getLogger(Link.class);
    private static final UUID NO_LINK = new UUID(0, 0);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The most batches sent and not yet acknowledged. */
    private static final int WINDOW = 8;
    /** A messages frame's bytes besides its messages: members, names, signature. */
    private static final int FRAME_OVERHEAD = 1_024;
    /** A message's bytes in a frame besides its body: its type and the members' names. */
    private static final int MESSAGE_OVERHEAD = 32 + Envelope.MAX_TYPE;

    /** Where frames go: a WebSocket, from whichever end. */
    interface Transport {
        /** Sends one frame; returns once it is handed to the network. */
        void send(String frame) throws IOException;

        /** Closes the connection, telling the other side why. */
        void close(String reason);

        /** Returns the other side's address, for the audit log. */
        String address();
    }

    /** A sequenced message as it is received. */
    record Message(String type, ObjectNode body) {
    }

    /** A sequenced message as it is sent: its body in canonical JSON, as the outbox keeps it. */
    record Outgoing(String type, String body) {
    }

    /** Messages of one frame or more, the first having sequence number {@code first}. */
    record Batch<M>(long first, List<M> messages) {
    }

    /** What waits on a link to be applied, in the order it arrived. */
    private sealed interface Inbound {
    }

    /** Messages checked and waiting to be applied. */
    private record Arrived(Batch<Message> batch) implements Inbound {
    }

    /** The peer's word that these of its systems are no longer granted to this instance. */
    private record Revocation(List<String> systems) implements Inbound {
    }

    /** What a link asks of federation. */
    interface Host {
        String instanceName();

        InstanceKey key();

        int maxFrameBytes();

        int maxBatch();

        Optional<Peer> peer(UUID id);

        /** The link is authenticated; it becomes the peer's link. */
        void opened(Link link);

        /** The link ended; {@code reason} says why, {@code null} for a normal close. */
        void closed(Link link, String reason);

        /**
         * A frame was refused: counts it, and logs and audits it unless the same address or peer was
         * refused within the minute. {@code peer} is {@code null} before it is known.
         */
        void refused(Peer peer, String address, String reason);

        /** The peer has every message up to {@code seq}. */
        void acknowledged(Peer peer, long seq);

        /**
         * The link opened and the peer says it has every message up to {@code theyHave}: records that,
         * after a resynchronisation if it cannot go on from there. Returns once what follows may be sent.
         */
        void resume(Peer peer, long theyHave);

        /** Applies messages received in order, the first having sequence number {@code first}. */
        void receive(Peer peer, long first, List<Message> messages);

        /** Every message up to {@code seq} is applied: stores that, before they are acknowledged. */
        void received(Peer peer, long seq);

        /** The peer says these of its systems are no longer granted to this instance. */
        void revoked(Peer peer, List<String> systems);

        /**
         * Returns up to {@code max} messages of the peer's outbox after {@code afterSeq}, as they should
         * travel now; empty if there are none.
         */
        Optional<Batch<Outgoing>> outbox(Peer peer, long afterSeq, int max);
    }

    private enum State { AWAIT_HELLO, AWAIT_WELCOME, OPEN, CLOSED }

    private final Host host;
    private final Transport transport;
    private final Clock clock;
    private final boolean dialing;
    private final String nonce = nonce();
    /** The nonce the other side sent in the handshake, which this side's control frames then name. */
    private volatile String theirNonce;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition appliedMore = lock.newCondition();
    private final Object sending = new Object();
    /**
     * Batches checked and revocations, waiting to be applied in the order they arrived. The sender's
     * window keeps the batches few; as many revocations again may wait before receiving does.
     */
    private final BlockingQueue<Inbound> inbound = new ArrayBlockingQueue<>(2 * WINDOW);
    // Guarded by lock.
    private State state;
    private Peer peer;
    private int protocol;
    private long sent;
    private long acknowledged;
    /** The last sequence number received and checked from the peer, applied or waiting to be. */
    private long accepted;
    /** The last sequence number applied. */
    private long applied;
    /** The number of the last control frame received on this connection. */
    private long controlsReceived;
    private boolean wake;
    /** The number of the last control frame sent on this connection; guarded by {@link #sending}. */
    private long controlsSent;

    private Link(Host host, Transport transport, Clock clock, Peer dialed) {
        this.host = host;
        this.transport = transport;
        this.clock = clock;
        this.dialing = dialed != null;
        this.peer = dialed;
        this.state = State.AWAIT_HELLO;
    }

    /** A link this instance dialed to a known peer; it waits for the peer's hello. */
    static Link dialed(Host host, Transport transport, Clock clock, Peer peer) {
        return new Link(host, transport, clock, peer);
    }

    /** A link a peer dialed; call {@link #start()} once the connection is open. */
    static Link accepted(Host host, Transport transport, Clock clock) {
        return new Link(host, transport, clock, null);
    }

    /** The accepting side opens the handshake. */
    void start() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("protocols", protocols());
        body.put("nonce", nonce);
        sendControl(HELLO, "", NO_LINK, body);
    }

    Peer peer() {
        lock.lock();
        try {
            return peer;
        } finally {
            lock.unlock();
        }
    }

    int protocol() {
        return protocol;
    }

    boolean dialing() {
        return dialing;
    }

    /** Handles one frame from the other side. */
    void received(String frame) {
        try {
            Envelope envelope = Envelope.parse(frame, host.maxFrameBytes());
            switch (state()) {
                case AWAIT_HELLO -> {
                    if (dialing) {
                        helloFromAcceptor(envelope);
                    } else {
                        helloFromDialer(envelope);
                    }
                }
                case AWAIT_WELCOME -> welcome(envelope);
                case OPEN -> open(envelope);
                case CLOSED -> { }
            }
        } catch (Refused | InvalidRequestException e) {
            refuse(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("A frame from {} could not be handled; closing the link", describe(), e);
            close("the frame could not be handled here; see this instance's log");
        }
    }

    /** The connection ended from below. */
    void ended(String reason) {
        boolean wasOpen;
        lock.lock();
        try {
            wasOpen = state != State.CLOSED;
            state = State.CLOSED;
            changed.signalAll();
            appliedMore.signalAll();
        } finally {
            lock.unlock();
        }
        if (wasOpen) {
            host.closed(this, reason);
        }
    }

    /**
     * Closes the link, telling the peer why. It ends here first, with this reason: the peer's answer to
     * the close could otherwise end it with its own.
     */
    void close(String reason) {
        try {
            ended(reason);
        } finally {
            transport.close(reason);
        }
    }

    /**
     * Closes the link if its handshake is not over: called {@link #HANDSHAKE} after the connection
     * opened, so that nobody holds a connection open without authenticating.
     */
    void handshakeDue() {
        State now = state();
        if (now != State.OPEN && now != State.CLOSED) {
            close("no handshake within " + HANDSHAKE.toSeconds() + " s");
        }
    }

    /** More messages wait in the outbox. */
    void wake() {
        lock.lock();
        try {
            wake = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Tells the peer at once that systems are no longer granted to it. */
    void revoke(List<String> systems) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode slugs = body.putArray("systems");
        systems.forEach(slugs::add);
        sendBound(REVOKED, body);
    }

    // --- the handshake ---

    private void helloFromAcceptor(Envelope envelope) throws Refused {
        Peer dialed = peer();
        expect(envelope, HELLO);
        if (!envelope.verifiedBy(dialed.key())) {
            throw new Refused("the hello does not verify with the key pinned for " + dialed.name());
        }
        int chosen = choose(envelope.body());
        theirNonce = text(envelope.body(), "nonce");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("protocols", protocols());
        body.put("nonce", nonce);
        body.put("reply", theirNonce);
        body.put("received", receivedOnce(dialed));
        setState(State.AWAIT_WELCOME);
        sendControl(HELLO, dialed.name(), dialed.id(), body);
        LOG.debug("Sent hello to {} offering protocol {}", dialed.name(), chosen);
    }

    private void helloFromDialer(Envelope envelope) throws Refused {
        expect(envelope, HELLO);
        Peer claimed = host.peer(envelope.link()).orElseThrow(() -> new Refused("no peer has link " + envelope.link()));
        if (!envelope.verifiedBy(claimed.key())) {
            throw new Refused("the hello for link " + envelope.link() + " does not verify with the key pinned for "
                    + claimed.name());
        }
        lock.lock();
        try {
            peer = claimed;
        } finally {
            lock.unlock();
        }
        checkAddress(envelope, claimed);
        if (!nonce.equals(text(envelope.body(), "reply"))) {
            throw new Refused("the hello does not answer this connection's nonce");
        }
        if (claimed.stored().suspended()) {
            throw new Refused("the link to " + claimed.name() + " is suspended here");
        }
        int chosen = choose(envelope.body());
        long theyHave = number(envelope.body(), "received");
        theirNonce = text(envelope.body(), "nonce");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("protocol", chosen);
        body.put("reply", theirNonce);
        body.put("received", receivedOnce(claimed));
        sendControl(WELCOME, claimed.name(), claimed.id(), body);
        opened(chosen, theyHave);
    }

    private void welcome(Envelope envelope) throws Refused {
        Peer dialed = peer();
        expect(envelope, WELCOME);
        if (!envelope.verifiedBy(dialed.key())) {
            throw new Refused("the welcome does not verify with the key pinned for " + dialed.name());
        }
        checkAddress(envelope, dialed);
        if (!nonce.equals(text(envelope.body(), "reply"))) {
            throw new Refused("the welcome does not answer this connection's nonce");
        }
        int chosen = (int) number(envelope.body(), "protocol");
        if (!PROTOCOLS.contains(chosen)) {
            throw new Refused("the peer chose protocol " + chosen + ", which this instance does not speak");
        }
        opened(chosen, number(envelope.body(), "received"));
    }

    /**
     * Returns what this side has received from the peer, read once for the handshake: the peer is told
     * so and goes on from there, so the link expects that. Read again later, it could be more, stored
     * meanwhile by the link this one replaces, and the peer's next frame would be refused as replayed.
     */
    private long receivedOnce(Peer from) {
        long have = from.received.get();
        lock.lock();
        try {
            accepted = have;
        } finally {
            lock.unlock();
        }
        return have;
    }

    private void opened(int chosen, long theyHave) {
        Peer to;
        long have;
        lock.lock();
        try {
            if (state == State.CLOSED) {
                // It ended while the handshake was under way, at its deadline say: it stays closed.
                return;
            }
            protocol = chosen;
            state = State.OPEN;
            to = peer;
            // They have what they say; what is beyond it is sent again, from the outbox.
            sent = theyHave;
            acknowledged = theyHave;
            applied = accepted;
            have = accepted;
        } finally {
            lock.unlock();
        }
        host.opened(this);
        daemon(() -> sendLoop(theyHave), "hanse-federation-send-" + to.name());
        daemon(this::applyLoop, "hanse-federation-apply-" + to.name());
        daemon(() -> acknowledgeLoop(have), "hanse-federation-ack-" + to.name());
    }

    private static void daemon(Runnable loop, String name) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    // --- an open link ---

    private void open(Envelope envelope) throws Refused {
        Peer from = peer();
        if (!envelope.verifiedBy(from.key())) {
            throw new Refused("a " + envelope.type() + " frame does not verify with the key pinned for " + from.name());
        }
        checkAddress(envelope, from);
        if (!envelope.type().equals(MESSAGES)) {
            checkBound(envelope);
        }
        switch (envelope.type()) {
            case MESSAGES -> messages(from, envelope);
            case ACK -> {
                long seq = number(envelope.body(), "seq");
                lock.lock();
                try {
                    acknowledged = Math.max(acknowledged, seq);
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                host.acknowledged(from, seq);
            }
            case REVOKED -> {
                List<String> systems = new ArrayList<>();
                JsonNode slugs = envelope.body().path("systems");
                slugs.forEach(slug -> systems.add(slug.asText()));
                // Applied after what arrived before it, as applying may take a while: receiving goes on.
                toApply(new Revocation(List.copyOf(systems)));
            }
            default -> from.unknownTypes.incrementAndGet();
        }
    }

    private void messages(Peer from, Envelope envelope) throws Refused {
        JsonNode list = envelope.body().path("messages");
        if (!list.isArray() || list.isEmpty()) {
            throw new Refused("a messages frame carries no messages");
        }
        List<Message> messages = new ArrayList<>(list.size());
        for (JsonNode message : list) {
            if (!message.path("type").isTextual() || !message.path("body").isObject()) {
                throw new Refused("message " + (envelope.seq() + messages.size()) + " lacks a type or a body object");
            }
            messages.add(new Message(message.get("type").asText(), (ObjectNode) message.get("body")));
        }
        lock.lock();
        try {
            long expected = accepted + 1;
            if (envelope.seq() != expected && !(envelope.seq() > expected && resynchronises(messages.get(0)))) {
                throw new Refused("sequence " + envelope.seq() + " where " + expected
                        + " was due: replayed or reordered");
            }
            accepted = envelope.seq() + messages.size() - 1;
        } finally {
            lock.unlock();
        }
        toApply(new Arrived(new Batch<>(envelope.seq(), messages)));
    }

    /** Hands what arrived to {@link #applyLoop}, after what arrived before it. */
    private void toApply(Inbound item) {
        try {
            // A peer that ignores the window waits here, and so does its connection.
            while (!inbound.offer(item, 1, TimeUnit.SECONDS)) {
                if (state() != State.OPEN) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Applies what was received, every batch waiting at once, for {@link #acknowledgeLoop} to
     * acknowledge, and the revocations between them in their place. What is still waiting when the
     * link ends is not acknowledged, so the peer sends it again; a revocation still waiting then is
     * left to the snapshot the peer sends after it.
     */
    private void applyLoop() {
        Peer from = peer();
        List<Inbound> waiting = new ArrayList<>();
        List<Batch<Message>> batches = new ArrayList<>();
        try {
            while (true) {
                Inbound first = inbound.poll(1, TimeUnit.SECONDS);
                if (state() != State.OPEN) {
                    return;
                }
                if (first == null) {
                    continue;
                }
                waiting.add(first);
                inbound.drainTo(waiting);
                for (Inbound item : waiting) {
                    if (item instanceof Arrived arrived) {
                        batches.add(arrived.batch());
                    } else if (item instanceof Revocation revocation) {
                        apply(from, batches);
                        host.revoked(from, revocation.systems());
                    }
                }
                apply(from, batches);
                waiting.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Ends the link rather than this thread alone, which would leave it open with nothing applied.
            LOG.warn("Messages from {} could not be applied; closing the link", from.name(), e);
            close("applying messages failed here; see this instance's log");
        }
    }

    /**
     * Stores how far applying got and then acknowledges it, as often as it can: the peer may drop
     * what is acknowledged, so a reconnect must not ask for less. It starts from {@code told}, what
     * the peer was told in the handshake.
     */
    private void acknowledgeLoop(long told) {
        Peer from = peer();
        long done = told;
        try {
            while (true) {
                long last;
                lock.lock();
                try {
                    while (state == State.OPEN && applied <= done) {
                        appliedMore.await(1, TimeUnit.SECONDS);
                    }
                    if (state != State.OPEN) {
                        return;
                    }
                    last = applied;
                } finally {
                    lock.unlock();
                }
                host.received(from, last);
                ObjectNode ack = JsonNodeFactory.instance.objectNode();
                ack.put("seq", last);
                sendBound(ACK, ack);
                done = last;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.warn("What was applied from {} could not be stored; closing the link", from.name(), e);
            close("storing what was received failed here; see this instance's log");
        }
    }

    /** Applies batches, those that follow on from each other together, and lets them be acknowledged. */
    private void apply(Peer from, List<Batch<Message>> batches) {
        if (batches.isEmpty()) {
            return;
        }
        long last = 0;
        for (Batch<Message> run : joined(batches)) {
            host.receive(from, run.first(), run.messages());
            last = run.first() + run.messages().size() - 1;
        }
        batches.clear();
        lock.lock();
        try {
            applied = last;
            appliedMore.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Joins batches that follow on from each other, so that they are applied together. */
    private static List<Batch<Message>> joined(List<Batch<Message>> batches) {
        List<Batch<Message>> runs = new ArrayList<>();
        for (Batch<Message> batch : batches) {
            Batch<Message> previous = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (previous != null && previous.first() + previous.messages().size() == batch.first()) {
                List<Message> messages = new ArrayList<>(previous.messages());
                messages.addAll(batch.messages());
                runs.set(runs.size() - 1, new Batch<>(previous.first(), messages));
            } else {
                runs.add(batch);
            }
        }
        return runs;
    }

    /** A resynchronisation may skip what the sender's outbox no longer holds. */
    private static boolean resynchronises(Message first) {
        return Delivery.resynchronises(first.type(), first.body());
    }

    private void sendLoop(long theyHave) {
        Peer to = peer();
        int batch = host.maxBatch();
        try {
            host.resume(to, theyHave);
            while (true) {
                long after;
                lock.lock();
                try {
                    while (state == State.OPEN && (sent - acknowledged >= (long) WINDOW * batch
                            || (!wake && to.enqueued.get() <= sent))) {
                        changed.await(1, TimeUnit.SECONDS);
                    }
                    if (state != State.OPEN) {
                        return;
                    }
                    wake = false;
                    after = sent;
                } finally {
                    lock.unlock();
                }
                Optional<Batch<Outgoing>> next = host.outbox(to, after, batch).map(this::fitting);
                if (next.isEmpty()) {
                    continue;
                }
                send(Envelope.frame(host.instanceName(), to.name(), to.id(), next.get().first(), clock.instant(),
                        MESSAGES, body(next.get().messages()), host.key()));
                lock.lock();
                try {
                    sent = next.get().first() + next.get().messages().size() - 1;
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.info("Sending to {} failed: {}", to.name(), Failures.described(e));
            close("sending failed: " + Failures.described(e));
        } catch (Error e) {
            LOG.warn("Sending to {} failed; closing the link", to.name(), e);
            close("sending failed here; see this instance's log");
        }
    }

    /**
     * Returns as many of the batch's first messages as fit into a frame as large as this instance
     * accepts (peers are expected to accept as much), counted high at three bytes per UTF-16 unit; at
     * least the first, which if too large alone is withheld, since it could never be sent.
     */
    private Batch<Outgoing> fitting(Batch<Outgoing> batch) {
        List<Outgoing> messages = new ArrayList<>(batch.messages().size());
        long room = host.maxFrameBytes() - FRAME_OVERHEAD;
        for (Outgoing message : batch.messages()) {
            long most = 3L * message.body().length() + MESSAGE_OVERHEAD;
            if (!messages.isEmpty() && most > room) {
                break;
            }
            if (messages.isEmpty() && CanonicalJson.exceeds(message.body(), (int) room - MESSAGE_OVERHEAD)) {
                LOG.warn("Message {} to {} is larger than a frame may be ({} bytes); it is withheld", batch.first(),
                        describe(), host.maxFrameBytes());
                message = Delivery.withdrawn();
            }
            messages.add(message);
            room -= most;
        }
        return new Batch<>(batch.first(), messages);
    }

    /** The canonical JSON of a messages frame's body, from the messages' canonical bodies. */
    private static String body(List<Outgoing> messages) {
        StringBuilder out = new StringBuilder(messages.size() * 256);
        out.append("{\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            Outgoing message = messages.get(i);
            out.append(i == 0 ? "{\"body\":" : ",{\"body\":").append(message.body()).append(",\"type\":");
            CanonicalJson.string(message.type(), out);
            out.append('}');
        }
        return out.append("]}").toString();
    }

    // --- frames ---

    private void sendControl(String type, String recipient, UUID link, ObjectNode body) {
        try {
            send(Envelope.sign(host.instanceName(), recipient, link, 0, clock.instant(), type, body, host.key()));
        } catch (IOException e) {
            close("sending " + type + " failed: " + Failures.described(e));
        }
    }

    /**
     * Sends a control frame of the open link, bound to this connection: it names the nonce the other
     * side sent, and is numbered from 1 in the order it goes out. Sent so at every protocol version;
     * an instance speaking only version 1 does not read either.
     */
    private void sendBound(String type, ObjectNode body) {
        Peer to = peer();
        body.put("reply", theirNonce);
        synchronized (sending) {
            body.put("control", ++controlsSent);
            sendControl(type, to.name(), to.id(), body);
        }
    }

    /**
     * From protocol 2 on, refuses a control frame of the open link that does not name this
     * connection's nonce, or is not the next one numbered: one recorded on an earlier connection, or
     * earlier on this one, and sent again.
     */
    private void checkBound(Envelope envelope) throws Refused {
        lock.lock();
        try {
            if (protocol < 2) {
                return;
            }
            if (!nonce.equals(text(envelope.body(), "reply"))) {
                throw new Refused("a " + envelope.type() + " frame does not answer this connection's nonce:"
                        + " replayed from another connection");
            }
            long number = number(envelope.body(), "control");
            if (number != controlsReceived + 1) {
                throw new Refused("control frame " + number + " where " + (controlsReceived + 1)
                        + " was due: replayed or reordered");
            }
            controlsReceived = number;
        } finally {
            lock.unlock();
        }
    }

    private void send(Envelope envelope) throws IOException {
        send(envelope.frame());
    }

    private void send(String frame) throws IOException {
        synchronized (sending) {
            transport.send(frame);
        }
    }

    private void refuse(String reason) {
        Peer known = peer();
        host.refused(known, transport.address(), reason);
        close(reason);
    }

    private void checkAddress(Envelope envelope, Peer from) throws Refused {
        if (!envelope.link().equals(from.id())) {
            throw new Refused("a frame names link " + envelope.link() + ", not " + from.id());
        }
        if (!envelope.recipient().equals(host.instanceName())) {
            throw new Refused("a frame is addressed to " + envelope.recipient() + ", not to this instance");
        }
    }

    private static void expect(Envelope envelope, String type) throws Refused {
        if (!envelope.type().equals(type) || envelope.seq() != 0) {
            throw new Refused("expected " + type + ", got " + envelope.type() + " " + envelope.seq());
        }
    }

    private static int choose(ObjectNode body) throws Refused {
        int best = -1;
        for (JsonNode offered : body.path("protocols")) {
            if (offered.canConvertToInt() && PROTOCOLS.contains(offered.asInt())) {
                best = Math.max(best, offered.asInt());
            }
        }
        if (best < 0) {
            throw new Refused("no common protocol version: this instance speaks " + PROTOCOLS + ", the peer "
                    + body.path("protocols"));
        }
        return best;
    }

    private static ArrayNode protocols() {
        ArrayNode versions = JsonNodeFactory.instance.arrayNode();
        PROTOCOLS.forEach(versions::add);
        return versions;
    }

    private static String text(ObjectNode body, String field) throws Refused {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new Refused("the frame's body lacks " + field);
        }
        return value.asText();
    }

    private static long number(ObjectNode body, String field) throws Refused {
        JsonNode value = body.get(field);
        if (value == null || !value.canConvertToLong() || value.asLong() < 0) {
            throw new Refused("the frame's body lacks a non-negative number " + field);
        }
        return value.asLong();
    }

    private State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Moves the handshake on, unless the link ended meanwhile: a closed link stays closed. */
    private void setState(State next) {
        lock.lock();
        try {
            if (state != State.CLOSED) {
                state = next;
            }
        } finally {
            lock.unlock();
        }
    }

    private String describe() {
        Peer known = peer();
        return known == null ? transport.address() : known.name();
    }

    private static String nonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Why a frame is refused; the link then ends. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason);
        }
    }
}
