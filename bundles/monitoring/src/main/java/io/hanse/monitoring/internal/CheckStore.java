package io.hanse.monitoring.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/** Stores checks' states and their history in the plugin's tables. */
final class CheckStore {

    private static final String COLUMNS = "status, hard, hard_status, attempt, max_attempts, output, long_output,"
            + " perfdata, perfdata_error, duration_ms, timed_out, result_id, last_result, last_change,"
            + " last_hard_change, first_seen, interval_seconds, flap_changes, flap_results, flapping, stale,"
            + " ack_author, ack_comment, ack_sticky, ack_time, ack_expires, policy_max_attempts, system_id";
    private static final String INSERT = "INSERT INTO monitoring_check (" + COLUMNS + ", system, check_name)"
            + " VALUES (" + "?, ".repeat(COLUMNS.split(",").length + 1) + "?)";
    private static final String UPDATE = "UPDATE monitoring_check SET " + COLUMNS.replace(",", " = ?,") + " = ?"
            + " WHERE system = ? AND check_name = ?";
    private static final String HISTORY = "SELECT system, check_name, kind, status, from_status, hard, attempt, output,"
            + " time, acknowledged, in_downtime, downtime_id, actor, ack_comment, ack_sticky, ack_expires"
            + " FROM monitoring_change";
    /** What availability needs of a hard change. */
    private static final String HARD_CHANGES = "SELECT system, check_name, from_status, status, time"
            + " FROM monitoring_change";
    /** How many rows PostgreSQL sends at a time of an answer that is handed on, not kept. */
    private static final int READ_AT_ONCE = 1000;

    /** A hard change of a check, as availability needs it. */
    record HardChange(String system, String check, CheckStatus from, CheckStatus status, Instant time) {
    }

    private final Sql sql;

    CheckStore(Sql sql) {
        this.sql = sql;
    }

    /** Has {@code listener} told whenever the database cannot be reached (see {@link Sql#whenUnreachable}). */
    void whenUnreachable(Runnable listener) {
        sql.whenUnreachable(listener);
    }

    List<CheckState> all() {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT system, check_name, " + COLUMNS
                + " FROM monitoring_check", CheckStore::state));
    }

    /**
     * Stores new and changed states and their history in one transaction.
     *
     * @param created states of checks not known to be stored: a check made by a transaction whose
     *     commit went through, though its caller heard it failed, is stored already, and is updated
     * @param changed states of stored checks
     * @param owed events owed the timeline with them (see {@link Outbox})
     */
    void save(List<CheckState> created, List<CheckState> changed, List<Change> changes, List<Outbox.Owed> owed) {
        sql.inTransaction(connection -> {
            int[] stored = Sql.batch(connection, UPDATE, created, CheckStore::parameters);
            List<CheckState> inserted = new ArrayList<>();
            for (int i = 0; i < stored.length; i++) {
                if (stored[i] == Statement.SUCCESS_NO_INFO) {
                    throw new IllegalStateException("the JDBC driver does not count the rows an UPDATE changed");
                }
                if (stored[i] == 0) {
                    inserted.add(created.get(i));
                }
            }
            Sql.batch(connection, INSERT, inserted, CheckStore::parameters);
            Sql.batch(connection, UPDATE, changed, CheckStore::parameters);
            Sql.batch(connection, "INSERT INTO monitoring_change (system, check_name, kind, status, from_status, hard,"
                    + " attempt, output, time, published, acknowledged, in_downtime, downtime_id, actor, ack_comment,"
                    + " ack_sticky, ack_expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    changes.stream().map(HistoryEntry::of).toList(), entry -> new Object[] {entry.system(),
                        entry.check(), entry.kind().name(), entry.status().name(), entry.from().name(), entry.hard(),
                        entry.attempt(), entry.output(), entry.time(), !entry.kind().onTimeline(), entry.acknowledged(),
                        entry.inDowntime(), entry.downtime(), entry.by(),
                        entry.ack() == null ? null : entry.ack().comment(),
                        entry.ack() == null ? null : entry.ack().sticky(),
                        entry.ack() == null ? null : entry.ack().expires()});
            if (!owed.isEmpty()) {
                Outbox.owe(connection, owed);
            }
            return null;
        });
    }

    /** The oldest entries still to be put on the timeline, at most {@code limit}. */
    List<HistoryEntry> unpublished(int limit) {
        return sql.inTransaction(connection -> Sql.select(connection, HISTORY + " WHERE published = ? ORDER BY id"
                + " FETCH FIRST " + limit + " ROWS ONLY", CheckStore::entry, false));
    }

    void published(List<HistoryEntry> entries) {
        sql.inTransaction(connection -> {
            Sql.batch(connection, "UPDATE monitoring_change SET published = ? WHERE system = ? AND check_name = ?"
                    + " AND kind = ? AND from_status = ? AND status = ? AND time = ?", entries,
                    entry -> new Object[] {true, entry.system(), entry.check(), entry.kind().name(),
                        entry.from().name(), entry.status().name(), entry.time()});
            return null;
        });
    }

    /**
     * Deletes published history from before a time, but for each check's last hard change before it:
     * the status availability counts from there. Deletes up to {@code chunk} entries, in one
     * transaction, so that the first pruning after a long stop, or after fewer days are kept, holds
     * no lock for long.
     *
     * @return how many entries were deleted: {@code chunk} if there may be more
     */
    int prune(Instant before, int chunk) {
        String hard = Change.Kind.HARD.name();
        // The ids first: as one DELETE … WHERE id IN (SELECT …), PostgreSQL read the whole table to join them.
        return sql.inTransaction(connection -> {
            List<Long> old = Sql.select(connection, "SELECT c.id FROM monitoring_change c WHERE c.time < ?"
                    + " AND c.published = ? AND NOT (c.kind = ? AND NOT EXISTS (SELECT 1 FROM monitoring_change later"
                    + " WHERE later.system = c.system AND later.check_name = c.check_name AND later.kind = ?"
                    + " AND later.time >= c.time AND later.time < ? AND (later.time > c.time OR later.id > c.id)))"
                    + " FETCH FIRST " + chunk + " ROWS ONLY",
                    row -> row.getLong(1), before, true, hard, hard, before);
            Sql.batch(connection, "DELETE FROM monitoring_change WHERE id = ?", old, id -> new Object[] {id});
            return old.size();
        });
    }

    /** Forgets a check, its state and history, and stores the events that tell of it if it was stored. */
    void forget(String system, String check, List<Outbox.Owed> events) {
        sql.inTransaction(connection -> {
            Sql.execute(connection, "DELETE FROM monitoring_change WHERE system = ? AND check_name = ?", system, check);
            if (Sql.execute(connection, "DELETE FROM monitoring_check WHERE system = ? AND check_name = ?", system,
                    check) > 0) {
                Outbox.owe(connection, events);
            }
            return null;
        });
    }

    /** Makes systems' checks follow them, their history with them: the history of a slug is that of its checks. */
    void follow(Follow plan) {
        sql.inTransaction(connection -> {
            plan.apply(connection, "monitoring_change");
            plan.apply(connection, "monitoring_check", "check_name");
            return null;
        });
    }

    /** A check's history between two times, newest first. */
    List<HistoryEntry> history(String system, String check, Instant from, Instant to, int limit) {
        return sql.inTransaction(connection -> Sql.select(connection, HISTORY + " WHERE system = ? AND check_name = ?"
                + " AND time >= ? AND time < ? ORDER BY time DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY",
                CheckStore::entry, system, check, from, to));
    }

    /**
     * Hands on the hard changes of a check from a time on, oldest first, after the last one before
     * it: what availability is counted from. They come from the database a thousand at a time, and
     * none is kept here: a check can have hundreds of thousands in a range.
     */
    void hardChanges(String system, String check, Instant from, Instant to, Consumer<HardChange> each) {
        String hard = Change.Kind.HARD.name();
        sql.inTransaction(connection -> {
            Sql.select(connection, HARD_CHANGES + " WHERE system = ? AND check_name = ? AND kind = ? AND time < ?"
                    + " ORDER BY time DESC, id DESC FETCH FIRST 1 ROWS ONLY", row -> handOn(row, each), system, check,
                    hard, from);
            return Sql.select(connection, READ_AT_ONCE, HARD_CHANGES + " WHERE system = ? AND check_name = ?"
                    + " AND kind = ? AND time >= ? AND time < ? ORDER BY time, id", row -> handOn(row, each), system,
                    check, hard, from, to);
        });
    }

    /** Hands a hard change on and keeps nothing of it. */
    private static Void handOn(ResultSet row, Consumer<HardChange> each) throws SQLException {
        each.accept(new HardChange(row.getString("system"), row.getString("check_name"),
                CheckStatus.valueOf(row.getString("from_status")), CheckStatus.valueOf(row.getString("status")),
                Sql.instant(row, "time")));
        return null;
    }

    private static Object[] parameters(CheckState s) {
        Ack ack = s.ack();
        return new Object[] {s.status().name(), s.hard(), s.hardStatus().name(), s.attempt(), s.maxAttempts(),
            s.output(), s.longOutput(), s.perfdata(), s.perfdataError(), s.durationMs(), s.timedOut(), s.resultId(),
            s.lastResult(), s.lastChange(), s.lastHardChange(), s.firstSeen(), s.intervalSeconds(),
            s.flapping().changes(), s.flapping().results(), s.flapping().flapping(), s.stale(),
            ack == null ? null : ack.author(), ack == null ? null : ack.comment(),
            ack == null ? null : ack.sticky(), ack == null ? null : ack.time(), ack == null ? null : ack.expires(),
            s.policyMaxAttempts(), s.systemId(), s.system(), s.check()};
    }

    private static CheckState state(ResultSet row) throws SQLException {
        String author = row.getString("ack_author");
        Ack ack = author == null ? null : new Ack(author, row.getString("ack_comment"), row.getBoolean("ack_sticky"),
                Sql.instant(row, "ack_time"), Sql.instant(row, "ack_expires"));
        return new CheckState(row.getString("system"), row.getObject("system_id", UUID.class),
                row.getString("check_name"), CheckStatus.valueOf(row.getString("status")), row.getBoolean("hard"),
                CheckStatus.valueOf(row.getString("hard_status")), row.getInt("attempt"), row.getInt("max_attempts"),
                row.getString("output"), row.getString("long_output"), row.getString("perfdata"),
                row.getString("perfdata_error"), row.getObject("duration_ms", Long.class),
                row.getObject("timed_out", Boolean.class), row.getString("result_id"), Sql.instant(row, "last_result"),
                Sql.instant(row, "last_change"), Sql.instant(row, "last_hard_change"), Sql.instant(row, "first_seen"),
                row.getInt("interval_seconds"), new Flapping(row.getInt("flap_changes"), row.getInt("flap_results"),
                        row.getBoolean("flapping")), row.getBoolean("stale"), ack, row.getInt("policy_max_attempts"),
                null);
    }

    private static HistoryEntry entry(ResultSet row) throws SQLException {
        Boolean sticky = row.getObject("ack_sticky", Boolean.class);
        Ack ack = sticky == null ? null : new Ack(row.getString("actor"), row.getString("ack_comment"), sticky,
                Sql.instant(row, "time"), Sql.instant(row, "ack_expires"));
        return new HistoryEntry(row.getString("system"), row.getString("check_name"),
                Change.Kind.valueOf(row.getString("kind")), CheckStatus.valueOf(row.getString("status")),
                CheckStatus.valueOf(row.getString("from_status")), row.getBoolean("hard"), row.getInt("attempt"),
                row.getString("output"), Sql.instant(row, "time"), row.getObject("acknowledged", Boolean.class),
                row.getObject("in_downtime", Boolean.class), row.getObject("downtime_id", UUID.class),
                row.getString("actor"), ack);
    }

    /**
     * Hands on the hard changes of up to a thousand checks from a time on, each check's after the
     * last one before it, ordered by check and time: for each check what {@link #hardChanges(String,
     * String, Instant, Instant, Consumer)} gives, in one statement instead of two per check. The two parts are a union
     * so that each can use an index; as one condition with an or, PostgreSQL reads the checks' whole
     * history and runs the subquery for every row. The changes in the range are read by system and
     * the other checks' left out as they come: joined to the list of checks, on a table without statistics
     * yet (after a bulk load), PostgreSQL compared every change with every check, for seconds.
     */
    void hardChanges(List<CheckState> checks, Instant from, Instant to, Consumer<HardChange> each) {
        if (checks.isEmpty()) {
            return;
        }
        String hard = Change.Kind.HARD.name();
        List<String> systems = checks.stream().map(CheckState::system).distinct().toList();
        List<Object> parameters = new ArrayList<>(systems);
        parameters.addAll(List.of(hard, from, to));
        checks.forEach(check -> parameters.addAll(List.of(check.system(), check.check())));
        parameters.addAll(List.of(hard, from, hard));
        // With the id, which orders changes at the same time: a union can be ordered only by what it selects.
        String columns = HARD_CHANGES.replace(" FROM ", ", id FROM ");
        String during = columns + " WHERE system IN (" + "?, ".repeat(systems.size() - 1) + "?) AND kind = ?"
                + " AND time >= ? AND time < ?";
        String before = columns + " JOIN (VALUES " + "(?, ?), ".repeat(checks.size() - 1) + "(?, ?))"
                + " AS k (k_system, k_check) ON system = k_system AND check_name = k_check AND time = (SELECT MAX(time)"
                + " FROM monitoring_change WHERE system = k_system AND check_name = k_check AND kind = ? AND time < ?)"
                + " WHERE kind = ?";
        Set<String> wanted = new HashSet<>();
        checks.forEach(check -> wanted.add(check.system() + '\u0000' + check.check()));
        sql.inTransaction(connection -> Sql.select(connection, READ_AT_ONCE, during + " UNION ALL " + before
                + " ORDER BY system, check_name, time, id", row -> wanted.contains(row.getString("system") + '\u0000'
                        + row.getString("check_name")) ? handOn(row, each) : null, parameters.toArray()));
    }
}
