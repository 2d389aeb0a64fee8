package io.hanse.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.check.ProcessResult;
import io.hanse.agent.check.ProcessRunner;
import io.hanse.agent.client.HanseClient;
import io.hanse.agent.client.Reply;
import io.hanse.agent.common.Json;
import io.hanse.agent.common.Log;
import io.hanse.agent.common.Text;
import io.hanse.agent.config.Durations;
import io.hanse.agent.config.WorkSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Claims work items while it has capacity, only of the types configured, and runs each through its
 * type's configured command with the item's parameters as JSON on standard input, never as
 * arguments, killed at its type's timeout or, sooner, in time to report before its lease expires (by
 * the agent's clock, as its reports are). An item of another type, with a malformed id, lease or
 * lease expiry, or beyond the capacity asked for is ignored; its lease runs out and the server
 * offers it again. An item's id only ever goes into the completion's path, and only if it is a
 * plain name (letters, digits, {@code -}, {@code _}).
 */
final class WorkClaimer implements Runnable {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /**
     * Answers to a completion that sending it again cannot change: malformed, forbidden, gone, taken,
     * too large; when Hanse sends them, as a problem document, not a proxy's or another server's page.
     */
    private static final Set<Integer> FINAL = Set.of(400, 403, 404, 409, 413);
    /**
     * The most items of one answer looked at: a claim asks for the free slots of one type, at most
     * 64, and the server hands out at most 100.
     */
    static final int MAX_CLAIM = 100;
    private static final long STOP_WAIT_SECONDS = 5;
    /** The most of a lease kept to report the item's result: an answer comes in well under a second. */
    static final Duration REPORT_TIME = Duration.ofSeconds(10);

    private final Map<String, WorkSpec> specs = new LinkedHashMap<>();
    private final Map<String, Integer> busy = new LinkedHashMap<>();
    private final HanseClient client;
    private final ProcessRunner processes;
    private final Timing timing;
    private final Backoff backoff;
    private final ExecutorService workers;
    private final LogOnce logOnce = new LogOnce();
    private String lastProblem;

    WorkClaimer(List<WorkSpec> work, HanseClient client, ProcessRunner processes, Timing timing) {
        work.forEach(spec -> specs.put(spec.type(), spec));
        work.forEach(spec -> busy.put(spec.type(), 0));
        this.client = client;
        this.processes = processes;
        this.timing = timing;
        this.backoff = new Backoff(timing);
        this.workers = Executors.newFixedThreadPool(work.stream().mapToInt(WorkSpec::concurrency).sum(),
                task -> new Thread(task, "hanse-work"));
    }

    @Override
    public void run() {
        Loop.repeat("claiming work", backoff, this::claim);
    }

    /**
     * Claims for each type with free slots as many items as it has free: the server hands out the
     * oldest items of any type a claim names, so one claim for all could bring more of one type than
     * it has slots for, leased here and never run until their leases ran out.
     */
    private void claim() throws InterruptedException {
        int started = 0;
        for (String type : awaitCapacity()) {
            int free = free(type);
            ObjectNode body = Json.object();
            body.putArray("capabilities").add(type);
            body.put("max", free);
            Reply reply = client.post("agents/self/work/claim", Json.bytes(body));
            if (reply.status() != 200) {
                failed(reply);
                return;
            }
            started += take(reply.json(), free);
        }
        // Only once every type's claim went through: one failing would otherwise be retried at the least wait.
        backoff.reset();
        lastProblem = null;
        if (started == 0) {
            Thread.sleep(timing.claimIdle().toMillis());
        }
    }

    /** Stops taking work and kills work under way; its leases run out and the items are offered again. */
    void stop() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Starts the valid items of a claim answer, no more than the agent asked for and only of the
     * first {@link #MAX_CLAIM}; returns how many it started.
     */
    private int take(JsonNode answer, int asked) {
        JsonNode items = answer.path("items");
        if (!items.isArray()) {
            logOnce.warn("work: the server's claim answer holds no list of items; ignored");
            return 0;
        }
        if (items.size() > asked) {
            logOnce.warn("work: the server offered " + items.size() + " items for " + asked + " asked; the rest are "
                    + "ignored");
        }
        int started = 0;
        for (int i = 0; i < Math.min(MAX_CLAIM, items.size()) && started < asked; i++) {
            if (start(items.get(i))) {
                started++;
            }
        }
        return started;
    }

    private boolean start(JsonNode item) {
        String id = Json.text(item, "id", 64).orElse("");
        String type = Json.text(item, "type", 100).orElse("");
        WorkSpec spec = specs.get(type);
        if (spec == null) {
            logOnce.warn("work: ignoring an item of type \"" + Text.printable(type, 60) + "\": no handler is "
                    + "configured for it");
            return false;
        }
        Optional<Instant> leaseExpires = Json.instant(item, "leaseExpires");
        if (!ID.matcher(id).matches() || Json.number(item, "lease").isEmpty() || leaseExpires.isEmpty()) {
            logOnce.warn("work: ignoring an item with a malformed id, lease or leaseExpires");
            return false;
        }
        long lease = Json.number(item, "lease").get();
        JsonNode parameters = item.path("parameters").isMissingNode() ? Json.object() : item.path("parameters");
        synchronized (this) {
            if (free(type) == 0) {
                logOnce.warn("work: ignoring an item of type " + type + " beyond its capacity");
                return false;
            }
            busy.merge(type, 1, Integer::sum);
        }
        workers.execute(() -> {
            try {
                perform(spec, id, lease, leaseExpires.get(), parameters);
            } finally {
                release(type);
            }
        });
        return true;
    }

    /**
     * Runs an item for at most its type's timeout, and only while its lease holds with time left to
     * report: past its lease the server offers it again, and it would run twice. An item whose lease
     * leaves no time to run it is not run.
     */
    private void perform(WorkSpec spec, String id, long lease, Instant leaseExpires, JsonNode parameters) {
        Duration left = Duration.between(Instant.now(), leaseExpires);
        Duration timeout = runFor(spec.timeout(), left);
        if (timeout.isZero()) {
            Log.warn("work " + id + " (" + spec.type() + "): not run, its lease expires at " + leaseExpires
                    + ", too soon to run it and report");
            return;
        }
        if (timeout.compareTo(spec.timeout()) < 0) {
            logOnce.warn("work: items of type " + spec.type() + " are leased for less than work." + spec.type()
                    + ".timeout; each is killed in time to report before its lease expires");
        }
        Log.info("work " + id + " (" + spec.type() + "): started");
        try {
            ProcessResult run = processes.run(spec.command(), Json.bytes(parameters), timeout);
            boolean succeeded = run.exitCode() != null && run.exitCode() == 0;
            String output = run.failure() != null ? run.failure()
                    : run.timedOut() ? "timed out after " + Durations.format(timeout)
                            + (timeout.equals(spec.timeout()) ? "" : ", before its lease expires at " + leaseExpires)
                    : run.output();
            ObjectNode body = Json.object();
            body.put("lease", lease);
            body.put("succeeded", succeeded);
            ObjectNode result = body.putObject("result").put("exitCode", run.exitCode()).put("output", output);
            Json.fit(result, "output", Json.MAX_OBJECT_BYTES);
            complete(id, Json.bytes(body), succeeded, leaseExpires);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.error("work " + id + " failed: " + e);
        }
    }

    /**
     * Returns how long an item may run: its type's timeout, but no longer than the time left of its
     * lease less what reporting takes, a tenth of that time and at most {@link #REPORT_TIME}; zero if
     * nothing is left.
     */
    static Duration runFor(Duration timeout, Duration leaseLeft) {
        Duration report = leaseLeft.dividedBy(10);
        Duration left = leaseLeft.minus(report.compareTo(REPORT_TIME) < 0 ? report : REPORT_TIME);
        if (left.isNegative() || left.isZero()) {
            return Duration.ZERO;
        }
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    /**
     * Reports a finished item until the server takes the report or refuses it for good, or until its
     * lease expires (by the agent's clock): then the item is offered again and the work is as good
     * as lost. Until then the item keeps its slot, so that an agent that cannot report takes on no
     * more work it could not report either.
     */
    private void complete(String id, byte[] body, boolean succeeded, Instant leaseExpires)
            throws InterruptedException {
        Backoff retries = new Backoff(timing);
        String logged = null;
        while (true) {
            Reply reply = client.post("agents/self/work/" + id + "/complete", body);
            if (reply.ok()) {
                Log.info("work " + id + ": " + (succeeded ? "succeeded" : "failed") + ", reported");
                return;
            }
            if (FINAL.contains(reply.status()) && reply.isProblem()) {
                Log.warn("work " + id + ": the server refused its completion: " + reply.problem());
                return;
            }
            Duration wait = retries.next(reply);
            if (Instant.now().plus(wait).isAfter(leaseExpires)) {
                Log.warn("work " + id + ": cannot report its completion (" + reply.problem() + "); giving up, its "
                        + "lease expires at " + leaseExpires);
                return;
            }
            if (!reply.problem().equals(logged)) {
                Log.warn("work " + id + ": cannot report its completion (" + reply.problem() + "); retrying until "
                        + "its lease expires at " + leaseExpires);
                logged = reply.problem();
            }
            Thread.sleep(wait.toMillis());
        }
    }

    private synchronized List<String> awaitCapacity() throws InterruptedException {
        while (true) {
            List<String> types = new ArrayList<>();
            specs.keySet().stream().filter(type -> free(type) > 0).forEach(types::add);
            if (!types.isEmpty()) {
                return types;
            }
            wait();
        }
    }

    private synchronized int free(String type) {
        return specs.get(type).concurrency() - busy.get(type);
    }

    private synchronized void release(String type) {
        busy.merge(type, -1, Integer::sum);
        notifyAll();
    }

    private void failed(Reply reply) throws InterruptedException {
        String problem = "cannot claim work: " + reply.problem();
        if (!Objects.equals(problem, lastProblem)) {
            Log.warn(problem);
            lastProblem = problem;
        }
        Thread.sleep(backoff.next(reply).toMillis());
    }
}
