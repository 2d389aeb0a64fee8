package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.kernel.federation.internal.Link.Batch;
import io.hanse.kernel.federation.internal.Link.Message;
import io.hanse.kernel.federation.internal.Link.Outgoing;
import io.hanse.kernel.store.StoredPeer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two ends of a link over an in-memory line, with real keys and signatures: the handshake, delivery
 * with acknowledgements, and every way a frame is refused.
 */
class LinkTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final UUID LINK = UUID.randomUUID();

    private final InstanceKey fraKey = InstanceKey.generate("fra");
    private final InstanceKey berKey = InstanceKey.generate("ber");
    /** fra dials ber; each knows the other as a peer with the same link id. */
    private final Host fra = new Host("fra", fraKey, peer("ber", berKey));
    private final Host ber = new Host("ber", berKey, peer("fra", fraKey));
    private final List<Line> lines = new ArrayList<>();

    @AfterEach
    void hangUp() {
        lines.forEach(line -> line.close("test over"));
    }

    @Test
    void bothSidesAuthenticateAgreeOnAVersionAndDeliverInOrderWithAcknowledgements() {
        Link[] links = connect();
        await(() -> fra.opened.size() == 1 && ber.opened.size() == 1, "both sides open");
        assertEquals(2, links[0].protocol());

        fra.enqueue(message("event", 1), message("event", 2), message("status", 3));
        links[0].wake();
        await(() -> ber.received.size() == 3, "three messages at ber");
        assertEquals(List.of(1, 2, 3), ber.received.stream().map(m -> m.body().path("n").asInt()).toList());
        await(() -> fra.peer.acknowledged.get() == 3, "ber acknowledges all three");
        assertEquals(3, ber.peer.received.get(), "stored as received before it was acknowledged");
        assertTrue(ber.refusals.isEmpty());
    }

    @Test
    void framesHoldWhatFitsAndAMessageTooLargeForAnyFrameIsWithheld() {
        fra.maxFrameBytes = 8_192;
        Link[] links = connect();
        await(() -> fra.opened.size() == 1 && ber.opened.size() == 1, "open");
        // Counted high, two of these would not fit into one frame, though they would at one byte a character.
        String page = "x".repeat(1_500);
        fra.enqueue(text("event", 1, page), text("event", 2, page), text("event", 3, "x".repeat(10_000)),
                text("event", 4, page));
        links[0].wake();

        await(() -> fra.peer.acknowledged.get() == 4, "all four acknowledged");
        assertEquals(List.of(1, 2, 0, 4), ber.received.stream().map(m -> m.body().path("n").asInt()).toList());
        assertEquals(Delivery.WITHDRAWN, ber.received.get(2).type());
        List<Envelope> frames = lines.get(0).sent.stream().map(frame -> Envelope.parse(frame, 1 << 20))
                .filter(envelope -> envelope.type().equals(Link.MESSAGES)).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), frames.stream().map(Envelope::seq).toList(), "one message a frame");
        assertTrue(lines.get(0).sent.stream().allMatch(frame -> frame.length() <= 8_192));
    }

    @Test
    void anAcceptedLinkNamingAnUnknownLinkOrSignedWithAnotherKeyIsRefused() {
        // mallory knows ber's link id for fra, but signs with its own key.
        Host mallory = new Host("fra", InstanceKey.generate("fra"), peer("ber", berKey));
        connect(mallory, ber);
        await(() -> ber.refusals.size() == 1, "ber refuses");
        assertTrue(ber.refusals.get(0).contains("does not verify with the key pinned for fra"), ber.refusals.get(0));
        assertTrue(ber.opened.isEmpty());
        assertTrue(mallory.opened.isEmpty());

        Host stranger = new Host("fra", fraKey, new Peer(stored("ber", berKey, UUID.randomUUID())));
        connect(stranger, ber);
        await(() -> ber.refusals.size() == 2, "ber refuses an unknown link");
        assertTrue(ber.refusals.get(1).startsWith("no peer has link"), ber.refusals.get(1));
    }

    @Test
    void aDialerRefusesAnAcceptorThatIsNotThePeerItPinned() {
        Host impostor = new Host("ber", InstanceKey.generate("ber"), peer("fra", fraKey));
        connect(fra, impostor);
        await(() -> fra.refusals.size() == 1, "fra refuses the impostor's hello");
        assertTrue(fra.refusals.get(0).contains("does not verify with the key pinned for ber"), fra.refusals.get(0));
        assertTrue(fra.opened.isEmpty());
    }

    @Test
    void tamperedWronglySignedMisaddressedReplayedAndReorderedFramesAreRefusedAndEndTheLink() {
        String[] reasons = {
            refusedAfterHandshake(frame -> frame.replace("\"n\":1", "\"n\":9")),
            refusedAfterHandshake(frame -> Envelope.sign("fra", "ber", LINK, 1, Instant.now(), Link.MESSAGES,
                    batch(1), InstanceKey.generate("fra")).frame()),
            refusedAfterHandshake(frame -> Envelope.sign("fra", "someone-else", LINK, 1, Instant.now(), Link.MESSAGES,
                    batch(1), fraKey).frame()),
            refusedAfterHandshake(frame -> Envelope.sign("fra", "ber", LINK, 5, Instant.now(), Link.MESSAGES,
                    batch(1), fraKey).frame()),
        };
        assertTrue(reasons[0].contains("does not verify"), reasons[0]);
        assertTrue(reasons[1].contains("does not verify"), reasons[1]);
        assertTrue(reasons[2].contains("addressed to someone-else"), reasons[2]);
        assertTrue(reasons[3].contains("sequence 5 where 1 was due"), reasons[3]);
    }

    @Test
    void aReplayedFrameIsRefused() {
        Link[] links = connect();
        await(() -> ber.opened.size() == 1, "open");
        String frame = Envelope.sign("fra", "ber", LINK, 1, Instant.now(), Link.MESSAGES, batch(1), fraKey).frame();
        links[1].received(frame);
        await(() -> ber.received.size() == 1, "applied");
        links[1].received(frame);
        await(() -> ber.closed.size() == 1, "the link ends");
        assertEquals(1, ber.received.size(), "nothing applied twice");
        assertTrue(ber.refusals.get(0).contains("sequence 1 where 2 was due: replayed or reordered"),
                ber.refusals.get(0));
    }

    @Test
    void whatTheHandshakeToldThePeerIsWhatTheLinkExpectsThoughTheLinkItReplacesStoresMoreMeanwhile() {
        Line toFra = new Line();
        lines.add(toFra);
        Link dialing = Link.dialed(ber, toFra, CLOCK, ber.peer);
        ObjectNode answer = helloFromFra(dialing, toFra);
        assertEquals(0, answer.path("received").asLong(), "ber tells fra it has nothing");

        // The link this one replaces stores that it has more, before fra's welcome arrives.
        ber.peer.received.set(5);
        welcomeFromFra(dialing, answer);
        // fra goes on from what it was told.
        dialing.received(frame(1));

        await(() -> toFra.sent.stream().map(frame -> Envelope.parse(frame, 1 << 20))
                .anyMatch(frame -> frame.type().equals(Link.ACK) && frame.body().path("seq").asLong() == 1),
                "ber acknowledges 1");
        assertEquals(List.of(), ber.refusals);
        assertEquals(1, ber.received.size());
    }

    @Test
    void batchesArrivingWhileOneIsAppliedAreAppliedTogether() {
        CountDownLatch slow = new CountDownLatch(1);
        Link[] links = applyingTheFirstBatchUntil(slow);
        links[1].received(frame(2));
        links[1].received(frame(3));
        slow.countDown();
        await(() -> fra.peer.acknowledged.get() == 3, "all three acknowledged");
        assertEquals(List.of(List.of(1), List.of(2, 3)), ber.applied);
        assertFalse(fra.acks.contains(2L), "what is applied together is acknowledged together: " + fra.acks);
    }

    @Test
    void aRevocationIsAppliedAfterWhatArrivedBeforeItWithoutHoldingUpWhatIsReceived() throws Exception {
        CountDownLatch slow = new CountDownLatch(1);
        Link[] links = applyingTheFirstBatchUntil(slow);
        ObjectNode revoked = JsonNodeFactory.instance.objectNode();
        revoked.putArray("systems").add("db");
        Thread receiving = new Thread(() -> {
            links[1].received(control(Link.REVOKED, revoked, 1));
            links[1].received(frame(2));
        });
        try {
            receiving.start();
            receiving.join(5_000);
            assertFalse(receiving.isAlive(), "frames are received, pongs too, while a batch is applied");
            assertTrue(ber.revocations.isEmpty(), "not amid the batch being applied");
        } finally {
            slow.countDown();
        }
        await(() -> fra.peer.acknowledged.get() == 2, "both batches acknowledged");
        assertEquals(List.of("messages [1]", "revoked [db]", "messages [2]"), ber.order);
        assertTrue(ber.refusals.isEmpty(), ber.refusals.toString());
    }

    @Test
    void anErrorApplyingMessagesEndsTheLinkRatherThanLeavingItOpenWithNothingApplied() {
        Link[] links = connect();
        await(() -> ber.opened.size() == 1, "open");
        ber.failure = new LinkageError("a class gone with a bundle refresh");
        links[1].received(frame(1));
        await(() -> ber.closed.size() == 1, "the link ends");
        assertTrue(ber.closed.get(0).endsWith("applying messages failed here; see this instance's log"),
                ber.closed.get(0));
    }

    @Test
    void unknownMessageAndFrameTypesOfANewerPeerAreCountedAndSkipped() {
        Link[] links = connect();
        await(() -> ber.opened.size() == 1, "open");
        links[1].received(control("gossip", JsonNodeFactory.instance.objectNode(), 1));
        assertEquals(1, ber.peer.unknownTypes.get());
        assertTrue(ber.refusals.isEmpty());
        assertTrue(ber.closed.isEmpty(), "still open");
    }

    @Test
    void aControlFrameRecordedOnAnEarlierConnectionIsRefusedOnALaterOne() {
        connect();
        await(() -> fra.opened.size() == 1 && ber.opened.size() == 1, "linked");
        ber.peer.link().revoke(List.of("db"));
        await(() -> fra.revocations.size() == 1, "db revoked at fra");
        String recorded = revoked(lines.get(1)).get();
        fra.peer.link().close("hung up");

        Link[] again = connect();
        await(() -> fra.opened.size() == 2, "linked again");
        again[0].received(recorded);
        await(() -> fra.closed.size() == 2, "the later link ends");
        assertEquals(List.of("a revoked frame does not answer this connection's nonce: replayed from another"
                + " connection"), fra.refusals);
        assertEquals(List.of(List.of("db")), fra.revocations, "taken once, on the connection it was sent on");
    }

    @Test
    void aControlFrameSentAgainOnTheSameConnectionIsRefused() {
        connect();
        await(() -> fra.opened.size() == 1 && ber.opened.size() == 1, "linked");
        Link link = fra.peer.link();
        ber.peer.link().revoke(List.of("db"));
        await(() -> fra.revocations.size() == 1, "db revoked at fra");
        link.received(revoked(lines.get(1)).get());
        await(() -> fra.closed.size() == 1, "the link ends");
        assertEquals(List.of("control frame 1 where 2 was due: replayed or reordered"), fra.refusals);
        assertEquals(1, fra.revocations.size());
    }

    @Test
    void anInstanceSpeakingOnlyProtocol1IsLinkedAndItsControlFramesAreTakenWithoutBinding() {
        Line toFra = new Line();
        lines.add(toFra);
        Link dialing = Link.dialed(ber, toFra, CLOCK, ber.peer);
        welcomeFromFra(dialing, helloFromFra(dialing, toFra));
        assertEquals(1, dialing.protocol());

        ber.enqueue(message("event", 1));
        await(() -> toFra.sent.stream().anyMatch(frame -> frame.contains("\"type\":\"messages\"")), "ber sends 1");
        ObjectNode ack = JsonNodeFactory.instance.objectNode().put("seq", 1);
        dialing.received(Envelope.sign("fra", "ber", LINK, 0, Instant.now(), Link.ACK, ack, fraKey).frame());
        assertEquals(1, ber.peer.acknowledged.get());
        assertEquals(List.of(), ber.refusals);
    }

    @Test
    void aLinkWhoseHandshakeIsNotOverWhenDueIsClosedAndAnOpenOneIsNot() {
        Link[] waiting = connect(fra, ber, false);
        waiting[1].handshakeDue();
        assertEquals(1, ber.closed.size());
        assertTrue(ber.closed.get(0).endsWith("no handshake within 10 s"), ber.closed.get(0));

        Link[] open = connect(fra, ber, true);
        await(() -> fra.opened.size() == 1 && ber.opened.size() == 1, "linked");
        open[1].handshakeDue();
        assertEquals(1, ber.closed.size(), "the open link stays");
    }

    @Test
    void withoutACommonProtocolVersionNoLinkOpens() {
        Link[] links = connect(fra, ber, false);
        // ber offers only a version fra does not speak.
        ObjectNode hello = JsonNodeFactory.instance.objectNode();
        hello.putArray("protocols").add(7);
        hello.put("nonce", "abc");
        links[0].received(Envelope.sign("ber", "", new UUID(0, 0), 0, Instant.now(), Link.HELLO, hello, berKey)
                .frame());
        assertTrue(fra.refusals.get(0).startsWith("no common protocol version"), fra.refusals.get(0));
        assertTrue(fra.opened.isEmpty());
    }

    @Test
    void aResynchronisationMaySkipWhatTheSendersOutboxNoLongerHolds() {
        Link[] links = connect();
        await(() -> ber.opened.size() == 1, "open");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode snapshot = body.putArray("messages").addObject();
        snapshot.put("type", Delivery.SNAPSHOT);
        snapshot.putObject("body").put("resync", true).putArray("systems");
        links[1].received(Envelope.sign("fra", "ber", LINK, 40, Instant.now(), Link.MESSAGES, body, fraKey).frame());
        await(() -> ber.peer.received.get() == 40, "applied up to 40");
        assertEquals(1, ber.received.size());
        assertTrue(ber.refusals.isEmpty());
    }

    // --- the line and the hosts ---

    /**
     * fra's hello to ber, which dialed it, as an instance that speaks only protocol 1 (as those from
     * before 2) sends it by hand; returns ber's answer, sent on {@code toFra}.
     */
    private ObjectNode helloFromFra(Link dialing, Line toFra) {
        ObjectNode hello = JsonNodeFactory.instance.objectNode();
        hello.putArray("protocols").add(1);
        hello.put("nonce", "fra's nonce");
        dialing.received(Envelope.sign("fra", "", new UUID(0, 0), 0, Instant.now(), Link.HELLO, hello, fraKey)
                .frame());
        return Envelope.parse(toFra.sent.get(0), 1 << 20).body();
    }

    /** fra's welcome to ber's {@code answer} at protocol 1, saying it has received nothing. */
    private void welcomeFromFra(Link dialing, ObjectNode answer) {
        ObjectNode welcome = JsonNodeFactory.instance.objectNode();
        welcome.put("protocol", 1);
        welcome.put("reply", answer.path("nonce").asText());
        welcome.put("received", 0);
        dialing.received(Envelope.sign("fra", "ber", LINK, 0, Instant.now(), Link.WELCOME, welcome, fraKey).frame());
    }

    /**
     * A control frame from fra to ber, bound to the connection of {@link #connect()} as protocol 2 has
     * it: with the nonce of ber's hello there, and {@code number}.
     */
    private String control(String type, ObjectNode body, int number) {
        String berNonce = Envelope.parse(lines.get(1).sent.get(0), 1 << 20).body().path("nonce").asText();
        body.put("reply", berNonce).put("control", number);
        return Envelope.sign("fra", "ber", LINK, 0, Instant.now(), type, body, fraKey).frame();
    }

    /** The first revoked frame sent this way, if any. */
    private static Optional<String> revoked(Line line) {
        return line.sent.stream().filter(frame -> Envelope.parse(frame, 1 << 20).type().equals(Link.REVOKED))
                .findFirst();
    }

    private String refusedAfterHandshake(java.util.function.UnaryOperator<String> forge) {
        Host to = new Host("ber", berKey, peer("fra", fraKey));
        Host from = new Host("fra", fraKey, peer("ber", berKey));
        Link[] links = connect(from, to, true);
        await(() -> to.opened.size() == 1, "open");
        String genuine = Envelope.sign("fra", "ber", LINK, 1, Instant.now(), Link.MESSAGES, batch(1), fraKey).frame();
        links[1].received(forge.apply(genuine));
        assertTrue(to.received.isEmpty(), "nothing forged is applied");
        await(() -> to.closed.size() == 1, "the link ends");
        return to.refusals.get(0);
    }

    /** Links fra and ber, and has ber apply fra's first batch until {@code slow} is counted down. */
    private Link[] applyingTheFirstBatchUntil(CountDownLatch slow) {
        Link[] links = connect();
        await(() -> ber.opened.size() == 1 && fra.opened.size() == 1, "open");
        ber.hold = slow;
        links[1].received(frame(1));
        await(() -> ber.applied.size() == 1, "the first batch is being applied");
        return links;
    }

    private Link[] connect() {
        return connect(fra, ber);
    }

    private Link[] connect(Host dialer, Host acceptor) {
        return connect(dialer, acceptor, true);
    }

    /** Connects a dialer to an acceptor; the acceptor's hello goes out only if {@code start}. */
    private Link[] connect(Host dialer, Host acceptor, boolean start) {
        Line toAcceptor = new Line();
        Line toDialer = new Line();
        Link dialing = Link.dialed(dialer, toAcceptor, CLOCK, dialer.peer);
        Link accepting = Link.accepted(acceptor, toDialer, CLOCK);
        toAcceptor.connect(accepting, toDialer);
        toDialer.connect(dialing, toAcceptor);
        lines.add(toAcceptor);
        lines.add(toDialer);
        if (start) {
            accepting.start();
        }
        return new Link[] {dialing, accepting};
    }

    /** One direction of the line: frames are delivered in order on a thread of its own. */
    static final class Line implements Link.Transport {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        /** Every frame sent this way. */
        final List<String> sent = new CopyOnWriteArrayList<>();
        private volatile Link receiver;
        private volatile Line back;
        private volatile boolean closed;

        void connect(Link to, Line reverse) {
            receiver = to;
            back = reverse;
            Thread pump = new Thread(() -> {
                try {
                    while (!closed) {
                        String frame = frames.poll(100, TimeUnit.MILLISECONDS);
                        if (frame != null && !closed) {
                            receiver.received(frame);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            pump.setDaemon(true);
            pump.start();
        }

        @Override
        public void send(String frame) {
            if (!closed) {
                sent.add(frame);
                frames.add(frame);
            }
        }

        @Override
        public void close(String reason) {
            if (!closed) {
                closed = true;
                Line reverse = back;
                if (reverse != null && !reverse.closed) {
                    reverse.closed = true;
                    reverse.receiver.ended("closed by the other side: " + reason);
                }
            }
        }

        @Override
        public String address() {
            return "127.0.0.1:1";
        }
    }

    static final class Host implements Link.Host {
        final String name;
        final InstanceKey key;
        final Peer peer;
        final List<Link> opened = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        final List<Message> received = new CopyOnWriteArrayList<>();
        final List<Message> outbox = new CopyOnWriteArrayList<>();
        /** The messages' numbers, per call of {@link #receive}. */
        final List<List<Integer>> applied = new CopyOnWriteArrayList<>();
        final List<Long> acks = new CopyOnWriteArrayList<>();
        final List<List<String>> revocations = new CopyOnWriteArrayList<>();
        /** What was applied, messages and revocations, in order. */
        final List<String> order = new CopyOnWriteArrayList<>();
        volatile int maxFrameBytes = 1 << 20;
        /** Holds the next {@link #receive} until it counts down. */
        volatile CountDownLatch hold = new CountDownLatch(0);
        /** What the next {@link #receive} or {@link #closed} throws, if anything. */
        volatile Error failure;

        Host(String name, InstanceKey key, Peer peer) {
            this.name = name;
            this.key = key;
            this.peer = peer;
        }

        void enqueue(Message... messages) {
            outbox.addAll(List.of(messages));
            peer.enqueued.set(outbox.size());
        }

        @Override
        public String instanceName() {
            return name;
        }

        @Override
        public InstanceKey key() {
            return key;
        }

        @Override
        public int maxFrameBytes() {
            return maxFrameBytes;
        }

        @Override
        public int maxBatch() {
            return 2;
        }

        @Override
        public Optional<Peer> peer(UUID id) {
            return peer.id().equals(id) ? Optional.of(peer) : Optional.empty();
        }

        @Override
        public void opened(Link link) {
            assertSame(peer, link.peer());
            peer.connected(link, Instant.now());
            opened.add(link);
        }

        @Override
        public void closed(Link link, String reason) {
            fail();
            peer.disconnected(link, reason, Instant.now());
            closed.add(reason);
        }

        @Override
        public void refused(Peer from, String address, String reason) {
            refusals.add(reason);
        }

        @Override
        public void acknowledged(Peer from, long seq) {
            acks.add(seq);
            from.acknowledged.accumulateAndGet(seq, Math::max);
        }

        @Override
        public void resume(Peer to, long theyHave) {
            acknowledged(to, theyHave);
        }

        @Override
        public void receive(Peer from, long first, List<Message> messages) {
            fail();
            // Federation applies a peer's messages and revocations one at a time.
            from.changing(() -> {
                List<Integer> numbers = messages.stream().map(message -> message.body().path("n").asInt()).toList();
                applied.add(numbers);
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hold = new CountDownLatch(0);
                received.addAll(messages);
                order.add("messages " + numbers);
            });
        }

        @Override
        public void received(Peer from, long seq) {
            from.received.set(seq);
        }

        @Override
        public void revoked(Peer from, List<String> systems) {
            from.changing(() -> {
                revocations.add(systems);
                order.add("revoked " + systems);
            });
        }

        @Override
        public Optional<Batch<Outgoing>> outbox(Peer to, long afterSeq, int max) {
            int from = (int) afterSeq;
            if (from >= outbox.size()) {
                return Optional.empty();
            }
            return Optional.of(new Batch<>(afterSeq + 1, outbox.subList(from, Math.min(outbox.size(), from + max))
                    .stream().map(message -> new Outgoing(message.type(), CanonicalJson.text(message.body())))
                    .toList()));
        }

        private void fail() {
            Error failing = failure;
            failure = null;
            if (failing != null) {
                throw failing;
            }
        }
    }

    static Peer peer(String name, InstanceKey key) {
        return new Peer(stored(name, key, LINK));
    }

    private static StoredPeer stored(String name, InstanceKey key, UUID link) {
        return new StoredPeer(link, name, null, key.publicKey().line(), key.publicKey().fingerprint(), false, false,
                Instant.now(), 0, 0, 0);
    }

    private static Message text(String type, int n, String text) {
        return new Message(type, JsonNodeFactory.instance.objectNode().put("n", n).put("text", text));
    }

    private static Message message(String type, int n) {
        return new Message(type, JsonNodeFactory.instance.objectNode().put("n", n));
    }

    private String frame(int n) {
        return Envelope.sign("fra", "ber", LINK, n, Instant.now(), Link.MESSAGES, batch(n), fraKey).frame();
    }

    private static ObjectNode batch(int n) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode message = body.putArray("messages").addObject();
        message.put("type", "event");
        message.putObject("body").put("n", n);
        return body;
    }

    /** Waits up to 15 s for the condition, failing the test with {@code what} it waited for. */
    static void await(BooleanSupplier condition, String what) {
        await(condition, what, Duration.ofSeconds(15));
    }

    static void await(BooleanSupplier condition, String what, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
