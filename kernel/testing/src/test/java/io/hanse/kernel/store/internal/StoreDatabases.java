package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import java.util.EnumMap;
import java.util.Map;

/** One H2 and one PostgreSQL database per test class, so each store test runs on both. */
final class StoreDatabases implements AutoCloseable {

    private final Map<Database.Kind, KernelDatabase> databases = new EnumMap<>(Database.Kind.class);

    StoreDatabases() {
        databases.put(Database.Kind.H2, KernelDatabase.h2());
        databases.put(Database.Kind.POSTGRESQL, KernelDatabase.postgres());
    }

    KernelDatabase get(Database.Kind kind) {
        return databases.get(kind);
    }

    JdbcEventStore events(Database.Kind kind) {
        KernelDatabase database = get(kind);
        return new JdbcEventStore(null, database.database(), database.dataSource());
    }

    JdbcSystemStore systems(Database.Kind kind) {
        return new JdbcSystemStore(null, get(kind).dataSource());
    }

    @Override
    public void close() {
        databases.values().forEach(KernelDatabase::close);
    }
}
