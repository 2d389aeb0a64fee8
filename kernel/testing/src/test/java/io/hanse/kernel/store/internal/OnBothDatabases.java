package io.hanse.kernel.store.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A store test class that runs on one H2 and one PostgreSQL database of its own. */
abstract class OnBothDatabases {

    static StoreDatabases databases;

    @BeforeAll
    static void open() {
        databases = new StoreDatabases();
    }

    @AfterAll
    static void close() {
        databases.close();
    }
}
