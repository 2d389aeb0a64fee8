package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.kernel.store.OutboxMessage;
import io.hanse.kernel.store.StoredPeer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a peer keeps of its outbox in memory, so that sending need not read it back. */
class PeerTest {

    private final InstanceKey key = InstanceKey.generate("ber");
    private final Peer peer = new Peer(new StoredPeer(UUID.randomUUID(), "ber", null, key.publicKey().line(),
            key.publicKey().fingerprint(), false, false, Instant.now(), 0, 0, 0));

    @Test
    void messagesReceivedAgainByAReplacingLinkAreAppliedOnceInOrder() throws Exception {
        List<Long> applied = new CopyOnWriteArrayList<>();
        peer.apply(1, List.of(1L, 2L, 3L), applied::addAll);
        peer.apply(2, List.of(2L, 3L, 4L), applied::addAll);
        peer.apply(1, List.of(1L), applied::addAll);
        assertEquals(List.of(1L, 2L, 3L, 4L), applied);

        // Two links at once, each applying the same runs: every message is applied once, in order.
        ExecutorService links = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int link = 0; link < 2; link++) {
                done.add(links.submit(() -> {
                    for (long first = 5; first <= 200; first += 5) {
                        peer.apply(first, LongStream.range(first, first + 5).boxed().toList(), run -> {
                            Thread.yield();
                            applied.addAll(run);
                        });
                    }
                }));
            }
            for (Future<?> link : done) {
                link.get();
            }
        } finally {
            links.shutdownNow();
        }
        assertEquals(LongStream.rangeClosed(1, 204).boxed().toList(), applied);
    }

    @Test
    void aRemovedPeerIsRemovedOnceWhatIsBeingAppliedIsAndNothingIsAppliedAfter() throws Exception {
        CountDownLatch applying = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        List<Long> applied = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> link = threads.submit(() -> peer.apply(1, List.of(1L), run -> {
                applying.countDown();
                await(finish);
                applied.addAll(run);
            }));
            applying.await();
            Future<?> removing = threads.submit(peer::removed);
            assertThrows(TimeoutException.class, () -> removing.get(200, TimeUnit.MILLISECONDS),
                    "removal waits for the run being applied");

            finish.countDown();
            link.get(10, TimeUnit.SECONDS);
            removing.get(10, TimeUnit.SECONDS);
            peer.apply(2, List.of(2L), applied::addAll);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(List.of(1L), applied);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void keptMessagesAreHandedOutInOrderAndLetGoOnceSent() {
        peer.keep(messages(1, 3, "{}"));
        assertEquals(List.of(1L, 2L), seqs(peer.kept(0, 2)));
        assertEquals(List.of(3L), seqs(peer.kept(2, 10)));
        assertEquals(List.of(), seqs(peer.kept(0, 10)), "1 and 2 are let go: a reconnect reads them from the outbox");
        assertEquals(List.of(3L), seqs(peer.kept(2, 10)));
    }

    @Test
    void onlyWhatFollowsOnWithoutAGapIsHandedOut() {
        peer.keep(messages(5, 6, "{}"));
        assertEquals(List.of(), seqs(peer.kept(3, 10)), "4 is not kept: everything is read from the outbox");
        peer.keep(messages(8, 8, "{}"));
        assertEquals(List.of(5L, 6L), seqs(peer.kept(4, 10)), "7 is not kept");
        assertEquals(List.of(), seqs(peer.kept(6, 10)));
        peer.forgetKept();
        assertEquals(List.of(), seqs(peer.kept(7, 10)));
    }

    @Test
    void beyondItsBoundTheOldestAreLetGo() {
        String large = "{\"x\":\"" + "y".repeat(1 << 20) + "\"}";
        peer.keep(messages(1, 5, large));
        assertEquals(List.of(), seqs(peer.kept(1, 10)), "four of these are more than a peer keeps");
        assertEquals(List.of(3L, 4L, 5L), seqs(peer.kept(2, 10)));
    }

    private List<OutboxMessage> messages(long from, long to, String body) {
        return LongStream.rangeClosed(from, to).mapToObj(seq -> new OutboxMessage(peer.id(), seq, "event", null, body))
                .toList();
    }

    private static List<Long> seqs(List<OutboxMessage> messages) {
        return messages.stream().map(OutboxMessage::seq).toList();
    }
}
