package io.hanse.monitoring.internal;

import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Stores reviews, their passes and items in the plugin's tables. */
final class ReviewStore {

    /** The SQLState of a unique constraint's violation, on PostgreSQL and H2 alike. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String ITEMS = "SELECT * FROM monitoring_review_item WHERE pass_id = ?"
            + " ORDER BY grouping, system, check_name";

    private final Sql sql;

    ReviewStore(Sql sql) {
        this.sql = sql;
    }

    /**
     * Inserts a review.
     *
     * @throws ConflictException if a review has its name, even one inserted a moment ago by someone else
     */
    void insert(Review r) {
        Schedule schedule = r.schedule();
        sql.inTransaction(connection -> {
            try {
                return Sql.execute(connection, "INSERT INTO monitoring_review (id, name, system, system_id, selector,"
                        + " every_days, schedule, zone, created, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        r.id(), r.name(), r.system(), r.systemId(), r.selector(), r.everyDays(),
                        schedule == null ? null : schedule.spec(), schedule == null ? null : schedule.zone().getId(),
                        r.created(), r.createdBy());
            } catch (SQLException e) {
                // The only unique column besides the random id is the name.
                if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw new ConflictException("there is a review " + r.name() + " already", e);
                }
                throw e;
            }
        });
    }

    /**
     * Changes when a review is due: every so many days, or by a schedule; returns false if there is
     * no such review.
     *
     * @param everyDays {@code null} for a schedule
     * @param schedule {@code null} for every so many days
     */
    boolean schedule(UUID review, Integer everyDays, Schedule schedule) {
        return sql.inTransaction(connection -> Sql.execute(connection, "UPDATE monitoring_review SET every_days = ?,"
                + " schedule = ?, zone = ? WHERE id = ?", everyDays, schedule == null ? null : schedule.spec(),
                schedule == null ? null : schedule.zone().getId(), review)) > 0;
    }

    /**
     * Deletes a review with its passes and their items, and stores the events that tell of it;
     * returns false if there is no such review.
     *
     * @throws ConflictException if a pass is in progress
     */
    boolean delete(UUID review, List<Outbox.Owed> events) {
        return sql.inTransaction(connection -> {
            if (!lock(connection, review)) {
                return false;
            }
            if (inProgress(connection, review)) {
                throw new ConflictException("a pass of the review is in progress; close it first");
            }
            Sql.execute(connection, "DELETE FROM monitoring_review WHERE id = ?", review);
            Outbox.owe(connection, events);
            return true;
        });
    }

    List<Review> all() {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT * FROM monitoring_review ORDER BY name",
                ReviewStore::review));
    }

    Optional<Review> find(String name) {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT * FROM monitoring_review WHERE name = ?",
                ReviewStore::review, name)).stream().findFirst();
    }

    /** The review's passes, newest first. */
    List<Review.Pass> passes(UUID review, int limit) {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT * FROM monitoring_review_pass"
                + " WHERE review_id = ? ORDER BY number DESC FETCH FIRST " + limit + " ROWS ONLY", ReviewStore::pass,
                review));
    }

    /**
     * The review's passes numbered below {@code before}, newest first, each with how many of its items
     * are on each system, in each group and with each mark: counted in the database, all together.
     */
    Map<Review.Pass, List<Review.Tally>> passes(UUID review, int before, int limit) {
        return sql.inTransaction(connection -> {
            List<Review.Pass> passes = Sql.select(connection, "SELECT * FROM monitoring_review_pass WHERE review_id = ?"
                    + " AND number < ? ORDER BY number DESC FETCH FIRST " + limit + " ROWS ONLY", ReviewStore::pass,
                    review, before);
            Map<UUID, List<Review.Tally>> tallies = passes.isEmpty() ? Map.of() : Sql.select(connection,
                    "SELECT pass_id, system, grouping, mark, COUNT(*) FROM monitoring_review_item WHERE pass_id IN ("
                    + String.join(", ", Collections.nCopies(passes.size(), "?")) + ") GROUP BY pass_id, system,"
                    + " grouping, mark", row -> Map.entry(row.getObject(1, UUID.class), tally(row)),
                    passes.stream().map(Review.Pass::id).toArray()).stream()
                    .collect(Collectors.groupingBy(Map.Entry::getKey,
                            Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
            Map<Review.Pass, List<Review.Tally>> tallied = new LinkedHashMap<>();
            passes.forEach(pass -> tallied.put(pass, tallies.getOrDefault(pass.id(), List.of())));
            return tallied;
        });
    }

    /** The review's pass with this number. */
    Optional<Review.Pass> pass(UUID review, int number) {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT * FROM monitoring_review_pass"
                + " WHERE review_id = ? AND number = ?", ReviewStore::pass, review, number)).stream().findFirst();
    }

    List<Review.Item> items(UUID pass) {
        return sql.inTransaction(connection -> Sql.select(connection, ITEMS, ReviewStore::item, pass));
    }

    /**
     * Starts a pass with its items, and stores the events that tell of it, unless another one is in
     * progress or another started since the pass it was built on: returns false then.
     *
     * @throws NotFoundException if the review was removed meanwhile
     */
    boolean start(Review.Pass pass, List<Review.Item> items, List<Outbox.Owed> events) {
        return sql.inTransaction(connection -> {
            if (!lock(connection, pass.review())) {
                throw new NotFoundException("the review was removed just now");
            }
            // Built on the pass before it, which must still be the latest: not if another started and closed meanwhile.
            if (inProgress(connection, pass.review()) || latestNumber(connection, pass.review()) != pass.number() - 1) {
                return false;
            }
            Sql.execute(connection, "INSERT INTO monitoring_review_pass (id, review_id, number, started, started_by)"
                    + " VALUES (?, ?, ?, ?, ?)", pass.id(), pass.review(), pass.number(), pass.started(),
                    pass.startedBy());
            Sql.batch(connection, "INSERT INTO monitoring_review_item (pass_id, system, system_id, check_name,"
                    + " grouping, status, previous_mark, previous_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", items,
                    item -> new Object[] {pass.id(), item.system(), item.systemId(), item.check(), item.group().name(),
                        item.status(), item.previousMark() == null ? null : item.previousMark().name(),
                        item.previousNote()});
            Outbox.owe(connection, events);
            return true;
        });
    }

    /**
     * Marks an item of a pass in progress and returns it as marked; empty if the pass has no such item.
     * An item left with neither a mark nor a note is as unmarked as when the pass started: no one marked it.
     *
     * @param mark {@code null} for none
     * @param note {@code null} for none
     * @throws ConflictException if the pass was closed meanwhile
     */
    Optional<Review.Item> mark(UUID pass, String system, String check, Review.Mark mark, String note, String by,
            Instant at) {
        boolean unmarked = mark == null && note == null;
        return sql.inTransaction(connection -> {
            // Holds off a close of the pass until the mark is stored: the close then counts it.
            if (!lockOpen(connection, pass)) {
                throw new ConflictException("the review's pass was closed just now");
            }
            Sql.execute(connection, "UPDATE monitoring_review_item SET mark = ?, note = ?, marked_by = ?, marked = ?"
                    + " WHERE pass_id = ? AND system = ? AND check_name = ?", mark == null ? null : mark.name(), note,
                    unmarked ? null : by, unmarked ? null : at, pass, system, check);
            return Sql.select(connection, "SELECT * FROM monitoring_review_item WHERE pass_id = ? AND system = ?"
                    + " AND check_name = ?", ReviewStore::item, pass, system, check).stream().findFirst();
        });
    }

    /**
     * Returns the slugs that reviews and their passes' items are kept under, with the id of the
     * system each is kept for.
     */
    Map<String, UUID> kept() {
        return kept("");
    }

    /** Returns which of these slugs reviews and their passes' items are kept under, as {@link #kept()}. */
    Map<String, UUID> kept(Collection<String> slugs) {
        return slugs.isEmpty() ? Map.of() : kept(" AND system IN (" + String.join(", ",
                Collections.nCopies(slugs.size(), "?")) + ")", Stream.concat(slugs.stream(), slugs.stream()).toArray());
    }

    private Map<String, UUID> kept(String condition, Object... parameters) {
        return sql.inTransaction(connection -> Sql.select(connection, "SELECT system, system_id FROM monitoring_review"
                + " WHERE system IS NOT NULL" + condition + " UNION SELECT system, system_id"
                + " FROM monitoring_review_item WHERE system IS NOT NULL" + condition,
                row -> Map.entry(row.getString(1), row.getObject(2, UUID.class)), parameters)).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (one, another) -> one));
    }

    /**
     * Makes reviews and their passes' items follow their systems: a review of a system that is gone
     * goes with its passes.
     */
    void follow(Follow plan) {
        sql.inTransaction(connection -> {
            // Reviews first, as a mark locks its pass before its item: a review that goes takes its
            // passes, and their items, with it.
            plan.apply(connection, "monitoring_review");
            plan.apply(connection, "monitoring_review_item", "pass_id", "check_name");
            return null;
        });
    }

    /**
     * Closes a pass in progress and stores the events that tell of it, made from its items as they
     * are then; returns the items, or empty if the pass was closed already.
     */
    Optional<List<Review.Item>> close(UUID pass, Instant at, String by, String outcome,
            Function<List<Review.Item>, List<Outbox.Owed>> events) {
        return sql.inTransaction(connection -> {
            if (!lockOpen(connection, pass)) {
                return Optional.empty();
            }
            List<Review.Item> items = Sql.select(connection, ITEMS, ReviewStore::item, pass);
            Sql.execute(connection, "UPDATE monitoring_review_pass SET closed = ?, closed_by = ?, outcome = ?"
                    + " WHERE id = ?", at, by, outcome, pass);
            Outbox.owe(connection, events.apply(items));
            return Optional.of(items);
        });
    }

    /**
     * Locks a review's row to the end of the transaction, which serialises its starts and its
     * deletion; returns false if there is no such review.
     */
    private static boolean lock(Connection connection, UUID review) throws SQLException {
        return Sql.execute(connection, "UPDATE monitoring_review SET every_days = every_days WHERE id = ?", review) > 0;
    }

    /** Locks a pass's row to the end of the transaction if it is open; returns false if it is closed. */
    private static boolean lockOpen(Connection connection, UUID pass) throws SQLException {
        return !Sql.select(connection, "SELECT id FROM monitoring_review_pass WHERE id = ? AND closed IS NULL"
                + " FOR UPDATE", row -> row.getString(1), pass).isEmpty();
    }

    /** The number of a review's latest pass; 0 if it never ran. */
    private static int latestNumber(Connection connection, UUID review) throws SQLException {
        return Sql.select(connection, "SELECT max(number) FROM monitoring_review_pass WHERE review_id = ?",
                row -> row.getInt(1), review).get(0);
    }

    private static boolean inProgress(Connection connection, UUID review) throws SQLException {
        return !Sql.select(connection, "SELECT id FROM monitoring_review_pass WHERE review_id = ? AND closed IS NULL",
                row -> row.getString(1), review).isEmpty();
    }

    private static Review review(ResultSet row) throws SQLException {
        String schedule = row.getString("schedule");
        return new Review(row.getObject("id", UUID.class), row.getString("name"), row.getString("system"),
                row.getObject("system_id", UUID.class), row.getString("selector"),
                row.getObject("every_days", Integer.class),
                schedule == null ? null : Schedule.parse("schedule", schedule, ZoneId.of(row.getString("zone"))),
                Sql.instant(row, "created"), row.getString("created_by"));
    }

    private static Review.Pass pass(ResultSet row) throws SQLException {
        return new Review.Pass(row.getObject("id", UUID.class), row.getObject("review_id", UUID.class),
                row.getInt("number"), Sql.instant(row, "started"), row.getString("started_by"),
                Sql.instant(row, "closed"), row.getString("closed_by"), row.getString("outcome"));
    }

    private static Review.Tally tally(ResultSet row) throws SQLException {
        return new Review.Tally(row.getString("system"), Review.Group.valueOf(row.getString("grouping")),
                mark(row.getString("mark")), row.getInt(5));
    }

    private static Review.Item item(ResultSet row) throws SQLException {
        return new Review.Item(row.getString("system"), row.getObject("system_id", UUID.class),
                row.getString("check_name"), Review.Group.valueOf(row.getString("grouping")), row.getString("status"),
                mark(row.getString("previous_mark")), row.getString("previous_note"), mark(row.getString("mark")),
                row.getString("note"), row.getString("marked_by"), Sql.instant(row, "marked"));
    }

    /** The mark of this name; {@code null} for none. */
    private static Review.Mark mark(String name) {
        return name == null ? null : Review.Mark.valueOf(name);
    }
}
