package io.hanse.agent.client;

import io.hanse.agent.common.Log;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Holds back the signed requests of one client, whichever loop sends them (observations, heartbeat,
 * desire polls, work), while the server refuses the agent or asks it to wait: each loop backing off
 * on its own, and a short {@code Retry-After} starting a loop's backoff over, let a disabled agent
 * come back every second or two. After a {@code 401} (a disabled or revoked agent, a clock too far
 * off) one request at most every {@code refusedPause} asks whether the agent is let in again, until
 * one is answered otherwise. After a {@code 429} with {@code Retry-After}, which Hanse answers for the
 * agent or its address as a whole (a lockout, too many signed requests), none goes before that has
 * passed, up to {@code refusedPause}; the loop refused waits all of it. A {@code 401} that asks for
 * the request to be signed again (the server restarted) holds nothing back: the next request,
 * signed afresh, passes.
 */
final class Hold {

    /** What the server's detail says when a request was signed before it started. */
    static final String SIGN_AGAIN = "sign it again";

    private final long refusedPauseNanos;
    // Guarded by this.
    private long openAt = System.nanoTime();
    private Refusal refused;

    Hold(Duration refusedPause) {
        this.refusedPauseNanos = refusedPause.toNanos();
    }

    /** Waits until a request may be sent; while the agent is refused, lets one through a pause. */
    synchronized void enter() throws InterruptedException {
        long wait;
        while ((wait = openAt - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, wait);
        }
        if (refused != null) {
            // This one asks whether the agent is let in again; the others wait for its answer.
            openAt = System.nanoTime() + refusedPauseNanos;
        }
    }

    /** Returns since when and why the server refuses the agent, if it does. */
    synchronized Optional<Refusal> refusal() {
        return Optional.ofNullable(refused);
    }

    /**
     * Takes note of an answer to a request let through; returns whether it changed the {@link #refusal}:
     * the agent became refused, was refused for another reason, or was let in again.
     */
    synchronized boolean answered(Reply reply) {
        long now = System.nanoTime();
        int status = reply.status();
        if (status == 401 && !reply.detail().contains(SIGN_AGAIN)) {
            boolean began = refused == null;
            if (began) {
                Log.warn("the server refuses this agent (" + reply.problem() + "): sending one request at most every "
                        + Duration.ofNanos(refusedPauseNanos).toSeconds() + " s until it is let in again");
            }
            // The detail may change (disabled, then revoked); the refusal goes on since it began.
            Refusal before = refused;
            refused = new Refusal(began ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : refused.since(),
                    reply.problem());
            holdUntil(now + refusedPauseNanos);
            return !refused.equals(before);
        } else if (status == 429 && reply.retryAfter().isPresent()) {
            holdUntil(now + Math.min(refusedPauseNanos, reply.retryAfter().get().toNanos()));
        } else if (refused != null && status >= 200 && status < 500 && status != 401 && status != 429) {
            // Answered past authentication: the agent is let in again. A 401 that says to sign again
            // says nothing of that, as the server checks the signature's time before the agent.
            Log.info("the server lets this agent in again");
            refused = null;
            openAt = now;
            notifyAll();
            return true;
        }
        return false;
    }

    private void holdUntil(long nanos) {
        if (nanos - openAt > 0) {
            openAt = nanos;
        }
    }
}
