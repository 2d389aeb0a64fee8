package io.hanse.agent.daemon;

import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.spool.Batch;
import io.hanse.agent.spool.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Empties the outbox: sends its oldest observations in batches of at most {@code batchMax} and
 * removes them only once the server answered 200 and counted every one of them as accepted or
 * duplicate, which it does only after committing them.
 *
 * <p>Connection errors, 5xx, 401, 429, a 403 that names no observation, a 200 that does not
 * account for the batch (a wrong server, a proxy's page), and a 400, 403 or 413 that is not a problem
 * document (a proxy's, a firewall's or another web server's error page, not Hanse refusing the
 * observations) are retried with {@link Backoff}, after the server's {@code Retry-After} when it gives
 * one: the spool keeps the observations.
 *
 * <p>Only Hanse's own refusals, problem documents, ever drop an observation. A batch refused whole
 * (413, or a 400 that names no observation: over the server's request size or batch limit) is sent
 * again at half its size, and later batches stay that small; after {@link #GROW_AFTER} full batches
 * taken they may double again, up to {@code batchMax}, since the server's limits may have been
 * raised, and a refused attempt to grow costs one request in a hundred. A refusal that names an
 * observation by its seq says that those before it passed: they are sent again as a batch, then the
 * named one alone. An observation refused alone is dropped, logged with the server's detail and
 * counted as rejected, so that it never blocks those behind it; unless its time is ahead of the
 * agent's clock, by at most {@link #MAX_WAIT_AHEAD} (spooled while the clock ran fast, refused as
 * too far in the future): it is kept and sent again once its time has come, and those behind it
 * wait: their times are earlier than its own, so that, sent first, their results would be overtaken
 * by it when it came (see {@code docs/agent-protocol.md}).
 */
final class Sender implements Runnable {

    /** How many full batches taken let a batch size halved after a refusal double again. */
    static final int GROW_AFTER = 100;
    private static final long IDLE_WAIT_MILLIS = 1000;
    /**
     * How far ahead of this host's clock an observation the server refused may be and still be kept
     * until its time: all those behind it wait, so one from a clock that ran a day fast is dropped.
     */
    static final Duration MAX_WAIT_AHEAD = Duration.ofMinutes(10);
    /** Answers that refuse what was sent rather than say "not now", when Hanse sends them as a problem document. */
    private static final Set<Integer> REFUSED = Set.of(400, 403, 413);
    /**
     * How a refusal names an observation: by its seq as the protocol says ({@code observation seq 7: …}),
     * or by its event id, as the monitoring plugin did before it named the seq
     * ({@code observation agent:<id>:<bootEpoch>:7: …}).
     */
    private static final Pattern NAMED =
            Pattern.compile("\\bobservation (?:seq |agent:[0-9a-fA-F-]+:\\d+:)(\\d{1,18}):");
    private static final String UNACCOUNTED = "cannot send observations: the server answered 200 without counting "
            + "every observation sent as accepted or duplicate; is the configured server a Hanse instance?";

    private final Outbox outbox;
    private final HanseClient client;
    private final StatusBoard status;
    private final int batchMax;
    private final Backoff backoff;
    /** How many observations a batch holds: fewer than batchMax after the server refused larger ones. */
    private int batchSize;
    /** How many observations the next batch holds: fewer than batchSize after a refusal that named one. */
    private int nextSize;
    /** Whether the next batch after this one is the observation a refusal named, to be sent alone. */
    private boolean namedNext;
    /** How many batches of batchSize were taken since it last changed. */
    private int fullTaken;
    private String lastProblem;

    Sender(Outbox outbox, HanseClient client, StatusBoard status, int batchMax, Timing timing) {
        this.outbox = outbox;
        this.client = client;
        this.status = status;
        this.batchMax = batchMax;
        this.batchSize = batchMax;
        this.nextSize = batchMax;
        this.backoff = new Backoff(timing);
    }

    /** Returns the seq of the observation a refusal's detail names, if it names one. */
    static OptionalLong namedSeq(String detail) {
        Matcher named = NAMED.matcher(detail);
        return named.find() ? OptionalLong.of(Long.parseLong(named.group(1))) : OptionalLong.empty();
    }

    @Override
    public void run() {
        Loop.repeat("sending observations", backoff, () -> {
            Batch batch = outbox.next(nextSize, IDLE_WAIT_MILLIS);
            if (batch.size() > 0) {
                send(batch);
            }
        });
    }

    private void send(Batch batch) throws InterruptedException {
        Reply reply = client.post("agents/self/observations", batch.body());
        if (reply.status() == 200) {
            taken(batch, reply);
            return;
        }
        if (!REFUSED.contains(reply.status())) {
            failed("cannot send observations: " + reply.problem(), reply);
            return;
        }
        if (!reply.isProblem()) {
            failed("cannot send observations: the server answered HTTP " + reply.status() + " without a problem "
                    + "document (" + Reply.PROBLEM_JSON + "), so not as Hanse refuses observations; is a proxy in "
                    + "the way, or is the configured server address wrong?", reply);
            return;
        }
        OptionalInt named = indexOf(batch, namedSeq(reply.detail()));
        if (named.isEmpty() && reply.status() == 403) {
            // Not about an observation but about who sent it: sending later may work, dropping never would.
            failed("cannot send observations: " + reply.problem(), reply);
        } else if (batch.size() == 1) {
            refusedAlone(batch, reply);
        } else if (named.isPresent()) {
            int before = named.getAsInt();
            nextSize = Math.max(1, before);
            namedNext = before > 0;
            Log.warn(what(batch) + " refused for one of them (" + reply.problem() + "); sending "
                    + (before == 0 ? "it alone" : "the " + before + " before it, then it alone"));
        } else {
            batchSize = Math.max(1, batch.size() / 2);
            nextSize = batchSize;
            fullTaken = 0;
            Log.warn(what(batch) + " refused as a batch (" + reply.problem() + "); sending at most " + batchSize
                    + " at a time");
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
        if (batch.size() == batchSize && batchSize < batchMax && ++fullTaken == GROW_AFTER) {
            batchSize = Math.min(batchMax, batchSize * 2);
            fullTaken = 0;
            Log.info("sending up to " + batchSize + " observations at a time again");
        }
        nextSize = namedNext ? 1 : batchSize;
        namedNext = false;
        if (lastProblem != null) {
            Log.info("observations are delivered again, after " + backoff.failures() + " failed attempts");
            lastProblem = null;
        }
        backoff.reset();
        status.sent();
        status.write();
    }

    private void refusedAlone(Batch batch, Reply reply) throws InterruptedException {
        Optional<Instant> time = Json.instant(batch.observations().get(0), "time");
        Instant now = Instant.now();
        if (time.isPresent() && time.get().isAfter(now) && !time.get().isAfter(now.plus(MAX_WAIT_AHEAD))) {
            note(what(batch) + " refused (" + reply.problem() + "), but its time " + time.get() + " is ahead of this "
                    + "host's clock: kept, and sent again once that time has come");
            Thread.sleep(Duration.between(now, time.get()).toMillis() + 1);
            return;
        }
        outbox.acknowledge(batch);
        nextSize = batchSize;
        status.rejected(1);
        Log.error(what(batch) + " refused for good and dropped: " + reply.problem());
        status.write();
    }

    /** Returns where in the batch the observation with this seq is. */
    private static OptionalInt indexOf(Batch batch, OptionalLong seq) {
        for (int i = 0; seq.isPresent() && i < batch.size(); i++) {
            if (batch.observations().get(i).path("seq").asLong() == seq.getAsLong()) {
                return OptionalInt.of(i);
            }
        }
        return OptionalInt.empty();
    }

    private static String what(Batch batch) {
        return (batch.size() == 1 ? "observation " : "observations ") + batch.seqRange() + " of boot "
                + batch.bootEpoch();
    }

    private void failed(String problem, Reply reply) throws InterruptedException {
        note(problem + "; retrying, the spool keeps them");
        Thread.sleep(backoff.next(reply).toMillis());
    }

    /** Logs a problem unless it is the one logged last, and shows it in the status file. */
    private void note(String problem) {
        if (!Objects.equals(problem, lastProblem)) {
            Log.warn(problem);
            lastProblem = problem;
        }
        status.failed(problem);
        status.write();
    }
}
