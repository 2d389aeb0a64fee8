package io.hanse.agent.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a child's output stream on its own thread: keeps the first {@code limit} bytes and drains
 * the rest, so that a child writing without end never blocks on a full pipe.
 */
final class StreamCollector implements Runnable {

    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
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
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                keep(buffer, n);
            }
        } catch (IOException e) {
            // The stream closes under us when the process is killed; what was read is all there is.
        }
    }

    /** Waits at most {@code millis} for the end of the stream; returns whether it came. */
    boolean await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    synchronized byte[] bytes() {
        return kept.toByteArray();
    }

    private synchronized void keep(byte[] buffer, int n) {
        int room = limit - kept.size();
        kept.write(buffer, 0, Math.min(room, n));
    }
}
