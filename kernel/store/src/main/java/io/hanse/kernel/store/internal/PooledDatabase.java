package io.hanse.kernel.store.internal;

import io.hanse.api.UnavailableException;
import io.hanse.kernel.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

final class PooledDatabase implements Database {

    /** How long a ping, and the pool's check of a connection it hands out, wait for the database. */
    static final int PING_TIMEOUT_SECONDS = 3;

    private final DatabaseSettings settings;
    private final DataSource dataSource;

    PooledDatabase(DatabaseSettings settings, DataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    @Override
    public Kind kind() {
        return settings.kind();
    }

    @Override
    public String url() {
        return settings.displayUrl();
    }

    @Override
    public void ping() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid(PING_TIMEOUT_SECONDS)) {
                throw new UnavailableException("The database at " + url() + " did not answer within "
                        + PING_TIMEOUT_SECONDS + " s");
            }
        } catch (SQLException e) {
            throw new UnavailableException("The database at " + url() + " cannot be reached: "
                    + settings.redactFrom(e.getMessage()), e);
        }
    }
}
