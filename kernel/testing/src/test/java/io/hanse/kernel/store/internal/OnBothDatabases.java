package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.Database;
import io.hanse.testing.KernelDatabase;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A store test class that runs on one H2 and one PostgreSQL database of its own. */
abstract class OnBothDatabases {

    private static final Map<Database.Kind, KernelDatabase> DATABASES = new EnumMap<>(Database.Kind.class);

    @BeforeAll
    static void open() {
        DATABASES.put(Database.Kind.H2, KernelDatabase.h2());
        DATABASES.put(Database.Kind.POSTGRESQL, KernelDatabase.postgres());
    }

    @AfterAll
    static void close() {
        DATABASES.values().forEach(KernelDatabase::close);
        DATABASES.clear();
    }

    static JdbcEventStore events(Database.Kind kind) {
        KernelDatabase database = DATABASES.get(kind);
        return new JdbcEventStore(null, database.database(), database.dataSource());
    }

    static JdbcSystemStore systems(Database.Kind kind) {
        return new JdbcSystemStore(null, DATABASES.get(kind).dataSource());
    }
}
