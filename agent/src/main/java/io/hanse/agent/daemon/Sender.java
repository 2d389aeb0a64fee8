package io.hanse.agent.daemon;

import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.spool.Batch;
import io.hanse.agent.spool.Outbox;
import io.hanse.agent.spool.Position;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Empties the outbox: sends its oldest observations in batches of at most {@code batchMax} and
 * removes them only once the server answered 200 and counted every one of them as accepted or
 * duplicate, which it does only after committing them.
 *
 * <p>Connection errors, 5xx, 401, 429 and a 200 that does not account for the batch (a wrong
 * server, a proxy's page) are retried with {@link Backoff}, after the server's {@code Retry-After}
 * when it gives one. A batch refused with 400, 403 or 413 is sent again one observation at a time;
 * a single observation refused so will never be taken, so it is dropped, logged with the server's
 * detail and counted as rejected, and never blocks the observations behind it.
 */
final class Sender implements Runnable {

    private static final long IDLE_WAIT_MILLIS = 1000;
    private static final String UNACCOUNTED = "cannot send observations: the server answered 200 without counting "
            + "every observation sent as accepted or duplicate; is the configured server a Hanse instance?";

    private final Outbox outbox;
    private final HanseClient client;
    private final StatusBoard status;
    private final int batchMax;
    private final Backoff backoff;
    /** While set, observations up to here are sent one by one, after a batch of them was refused. */
    private Position singlesUntil;
    private String lastProblem;

    Sender(Outbox outbox, HanseClient client, StatusBoard status, int batchMax, Timing timing) {
        this.outbox = outbox;
        this.client = client;
        this.status = status;
        this.batchMax = batchMax;
        this.backoff = new Backoff(timing);
    }

    @Override
    public void run() {
        Loop.repeat("sending observations", backoff, () -> {
            Batch batch = outbox.next(singlesUntil == null ? batchMax : 1, IDLE_WAIT_MILLIS);
            if (batch.size() > 0) {
                send(batch);
            }
        });
    }

    private void send(Batch batch) throws InterruptedException {
        Reply reply = client.post("agents/self/observations", batch.body());
        int code = reply.status();
        // Malformed, outside the agent's scope, too large: sending the same again would never succeed.
        boolean refused = code == 400 || code == 403 || code == 413;
        if (code == 200) {
            taken(batch, reply);
        } else if (refused && batch.size() > 1) {
            singlesUntil = batch.entries().get(batch.size() - 1).at();
            Log.warn("observations " + batch.seqRange() + " of boot " + batch.bootEpoch() + " refused as a batch ("
                    + reply.problem() + "); sending them one by one");
        } else if (refused) {
            outbox.acknowledge(batch);
            leaveSingles(batch);
            status.rejected(1);
            Log.error("observation " + batch.seqRange() + " of boot " + batch.bootEpoch()
                    + " refused for good and dropped: " + reply.problem());
            status.write();
        } else {
            failed("cannot send observations: " + reply.problem(), reply);
        }
    }

    private void taken(Batch batch, Reply reply) throws InterruptedException {
        Optional<Long> accepted = Json.number(reply.json(), "accepted");
        Optional<Long> duplicates = Json.number(reply.json(), "duplicates");
        if (accepted.isEmpty() || duplicates.isEmpty() || accepted.get() + duplicates.get() != batch.size()) {
            failed(UNACCOUNTED, reply);
            return;
        }
        outbox.acknowledge(batch);
        leaveSingles(batch);
        if (lastProblem != null) {
            Log.info("observations are delivered again, after " + backoff.failures() + " failed attempts");
            lastProblem = null;
        }
        backoff.reset();
        status.sent();
        status.write();
    }

    private void leaveSingles(Batch batch) {
        if (singlesUntil != null && batch.entries().get(batch.size() - 1).at().compareTo(singlesUntil) >= 0) {
            singlesUntil = null;
        }
    }

    private void failed(String problem, Reply reply) throws InterruptedException {
        Duration wait = backoff.next(reply);
        if (!Objects.equals(problem, lastProblem)) {
            Log.warn(problem + "; retrying, the spool keeps them");
            lastProblem = problem;
        }
        status.failed(problem);
        status.write();
        Thread.sleep(wait.toMillis());
    }
}
