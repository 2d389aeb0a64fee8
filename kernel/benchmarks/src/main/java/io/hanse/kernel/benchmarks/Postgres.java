package io.hanse.kernel.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The PostgreSQL server the benchmarks run on: the settings a run should name, and the CPU time of
 * the processes that serve a benchmark's databases.
 */
final class Postgres {

    private Postgres() {
    }

    /** The server's version and the settings that most change what a write-heavy load costs. */
    static String settings(DataSource database) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT version(), current_setting('shared_buffers'),"
                        + " current_setting('synchronous_commit'), current_setting('max_wal_size')")) {
            row.next();
            return String.format(Locale.ROOT, "%s%n  shared_buffers %s, synchronous_commit %s, max_wal_size %s",
                    row.getString(1), row.getString(2), row.getString(3), row.getString(4));
        }
    }

    /**
     * CPU time so far, in clock ticks, of the processes that serve some databases: their backends and
     * the cluster's background processes (checkpointer, WAL writer, background writer, autovacuum
     * launcher…), as pg_stat_activity lists them. Not the postmaster, which it does not list and which
     * only forks backends, nor the backend these processes are read on. The list is read again at every
     * sample, so that backends opened since count; a backend that exits between two samples loses what it
     * took since the first of them (the servers' connection pools keep their backends, so that is rare).
     */
    static final class Processes implements LongSupplier, AutoCloseable {

        private final Connection connection;
        private final List<String> names = new ArrayList<>();
        private Map<Long, Long> last = Map.of();
        private long total;

        /** Reads the processes through the first database; the others are only named. */
        Processes(DataSource... databases) throws SQLException {
            for (DataSource database : databases) {
                try (Connection named = database.getConnection(); Statement statement = named.createStatement();
                        ResultSet row = statement.executeQuery("SELECT current_database()")) {
                    row.next();
                    names.add(row.getString(1));
                }
            }
            connection = databases[0].getConnection();
        }

        /**
         * @throws IllegalStateException if none of the processes runs on this machine, as when
         *         PostgreSQL runs on another host or in a container: its CPU would count as nothing
         */
        @Override
        public synchronized long getAsLong() {
            List<Long> pids = pids();
            Map<Long, Long> now = new HashMap<>();
            for (long pid : pids) {
                Cpu.process(pid, "postgres").ifPresent(ticks -> now.put(pid, ticks));
            }
            if (now.isEmpty()) {
                throw new IllegalStateException("none of the PostgreSQL processes serving " + names + " (pids "
                        + pids + ") is a postgres process on this machine: run PostgreSQL here, outside a container");
            }
            now.forEach((pid, ticks) -> total += ticks - last.getOrDefault(pid, 0L));
            last = now;
            return total;
        }

        private List<Long> pids() {
            try (PreparedStatement select = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                    + " WHERE pid <> pg_backend_pid() AND (datname = ANY (?)"
                    + " OR datname IS NULL AND backend_type <> 'client backend')")) {
                select.setArray(1, connection.createArrayOf("text", names.toArray()));
                List<Long> pids = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        pids.add(rows.getLong(1));
                    }
                }
                return pids;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot list PostgreSQL's processes: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
