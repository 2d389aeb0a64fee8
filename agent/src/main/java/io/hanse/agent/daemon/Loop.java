package io.hanse.agent.daemon;

import io.hanse.agent.common.Log;

/**
 * Repeats a daemon thread's step until the thread is interrupted. A step that fails unexpectedly
 * (a full disk, a bug) is logged and retried after a backoff: no thread of the daemon ever dies
 * of it.
 */
final class Loop {

    /** One round of a daemon thread's work. */
    interface Step {
        void run() throws InterruptedException;
    }

    private Loop() {
    }

    /** Runs {@code step} again and again on the calling thread until it is interrupted. */
    static void repeat(String what, Backoff backoff, Step step) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    Log.error(what + " failed: " + e + "; trying again");
                    Thread.sleep(backoff.next().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
