package io.hanse.kernel.core.internal;

import java.util.concurrent.ThreadFactory;

/** The threads the kernel's components start for themselves. */
public final class Threads {

    private Threads() {
    }

    /** Returns a factory of daemon threads of this name, which do not hold up Karaf's stopping. */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
