package io.hanse.agent.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a child's output pipe on its own thread while the child runs: keeps the first {@code limit}
 * bytes and drains the rest, so that a child writing without end never blocks on a full pipe.
 *
 * <p>It never waits in {@code read}: it reads only what the pipe holds, and when the pipe is empty
 * looks again after a pause. A read blocked on a pipe cannot be ended from Java (neither an interrupt
 * nor closing the stream wakes it) and would last as long as a process the child left running in the
 * background holds the pipe open, and so would the JDK's process reaper thread, which waits for that
 * read to hand over the stream. Once the child has ended, {@link #finish} reads what it left in the
 * pipe and closes the pipe: a process left behind that writes to it later gets a broken pipe.
 */
final class StreamCollector implements Runnable {

    /** The longest pause before looking at an empty pipe again; pauses start at 1 ms and double. */
    private static final long MAX_PAUSE_MILLIS = 50;

    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    /** Whether the child wrote more than the limit; guarded by {@code this}. */
    private boolean cut;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread thread;

    private StreamCollector(InputStream in, int limit, String name) {
        this.in = in;
        this.limit = limit;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    static StreamCollector start(InputStream in, int limit, String name) {
        StreamCollector collector = new StreamCollector(in, limit, name);
        collector.thread.start();
        return collector;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in) {
            // A pipe being written to is read at full speed; one that stays empty is looked at less often.
            for (long pause = 1; !ended.await(pause, TimeUnit.MILLISECONDS); ) {
                pause = read(buffer, buffer.length) ? 0 : Math.min(MAX_PAUSE_MILLIS, Math.max(1, pause * 2));
            }
            // All the child wrote is in the pipe now; a process it left running may go on adding to it.
            read(buffer, in.available());
        } catch (IOException e) {
            // Only a pipe that is gone fails to read; what was read is all there is.
        } catch (InterruptedException e) {
            // Nothing interrupts this thread of ours; if something did, reading ends and the pipe closes.
        }
    }

    /** Reads what the ended child left in the pipe, closes the pipe, and returns once that is done. */
    void finish() throws InterruptedException {
        ended.countDown();
        thread.join();
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    /** Returns whether the child wrote more than the bytes kept. */
    synchronized boolean cut() {
        return cut;
    }

    /** Reads up to {@code max} of the bytes the pipe holds, never waiting for more; returns whether there were any. */
    private boolean read(byte[] buffer, int max) throws IOException {
        int left = Math.min(max, in.available());
        boolean any = left > 0;
        while (left > 0) {
            int n = in.read(buffer, 0, Math.min(left, buffer.length));
            keep(buffer, n);
            left -= n;
        }
        return any;
    }

    private synchronized void keep(byte[] buffer, int n) {
        int room = limit - kept.size();
        kept.write(buffer, 0, Math.min(room, n));
        cut |= n > room;
    }
}
