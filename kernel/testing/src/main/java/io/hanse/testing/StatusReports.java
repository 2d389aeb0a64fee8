package io.hanse.testing;

import io.hanse.api.status.Status;
import io.hanse.api.status.StatusSink;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A status sink that keeps what a contributor reported, for tests of status contributors. */
public final class StatusReports implements StatusSink {

    private final Map<String, Status> statuses = new ConcurrentHashMap<>();
    private final Map<String, String> summaries = new ConcurrentHashMap<>();

    @Override
    public void report(String system, Status status, String summary) {
        statuses.put(system, status);
        summaries.put(system, summary);
    }

    @Override
    public void clear(String system) {
        statuses.remove(system);
        summaries.remove(system);
    }

    /** Returns the status last reported about the system; {@code null} if none stands. */
    public Status status(String system) {
        return statuses.get(system);
    }

    /** Returns the summary last reported about the system; {@code null} if none stands. */
    public String summary(String system) {
        return summaries.get(system);
    }
}
