package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.store.Database.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final Path DATA = Path.of("/opt/hanse/data");

    private static DatabaseSettings settings(String url, String password) {
        return DatabaseSettings.of(url, "hanse", password, 16, 10_000, DATA);
    }

    @Test
    void emptyUrlMeansTheEmbeddedDatabaseUnderData() {
        DatabaseSettings settings = settings("  ", "");

        assertEquals(Kind.H2, settings.kind());
        assertEquals("jdbc:h2:file:/opt/hanse/data/hanse/hanse;DB_CLOSE_ON_EXIT=FALSE", settings.url());
        assertEquals("org.h2.Driver", settings.driverClass());
    }

    @Test
    void postgresUrlSelectsThePostgresDriver() {
        DatabaseSettings settings = settings("jdbc:postgresql://db:5432/hanse", "s3cret");

        assertEquals(Kind.POSTGRESQL, settings.kind());
        assertEquals("org.postgresql.Driver", settings.driverClass());
        assertEquals("jdbc:postgresql://db:5432/hanse", settings.url());
    }

    @Test
    void unsupportedDatabaseIsRefusedNamingTheSettingWithoutItsPassword() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> settings("jdbc:mysql://db/hanse?password=s3cret", ""));

        assertTrue(error.getMessage().startsWith("url: 'jdbc:mysql://db/hanse?password=***'"), error.getMessage());
        assertFalse(error.getMessage().contains("s3cret"));
    }

    @Test
    void passwordsInUrlsAreNeverShown() {
        assertEquals("jdbc:postgresql://db/hanse?user=u&password=***&ssl=true",
                settings("jdbc:postgresql://db/hanse?user=u&password=s3cret&ssl=true", "").displayUrl());
        assertEquals("jdbc:postgresql://db/hanse?sslpassword=***&sslKeyPassword=***",
                settings("jdbc:postgresql://db/hanse?sslpassword=a&sslKeyPassword=b", "").displayUrl());
        assertEquals("jdbc:h2:file:/x;PASSWORD=***;DB_CLOSE_ON_EXIT=FALSE",
                settings("jdbc:h2:file:/x;PASSWORD=s3cret", "").displayUrl());
    }

    @Test
    void connectionPropertiesCarryCredentialsButToStringDoesNot() {
        DatabaseSettings settings = settings("jdbc:postgresql://db/hanse", "s3cret");

        assertEquals("s3cret", settings.connectionProperties().getProperty("password"));
        assertEquals("jdbc:postgresql://db/hanse", settings.connectionProperties().getProperty("url"));
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
    }

    @Test
    void postgresConnectionsGetTimeoutsAndKeepAlivesUnlessTheUrlSetsThem() {
        DatabaseSettings defaults = settings("jdbc:postgresql://db/hanse", "");
        assertEquals("true", defaults.connectionProperties().getProperty("tcpKeepAlive"));
        assertEquals("300", defaults.connectionProperties().getProperty("socketTimeout"));
        assertEquals("10", defaults.connectionProperties().getProperty("loginTimeout"));

        DatabaseSettings owned = settings("jdbc:postgresql://db/hanse?SocketTimeout=0&tcpKeepAlive=false", "");
        assertEquals(null, owned.connectionProperties().getProperty("socketTimeout"));
        assertEquals(null, owned.connectionProperties().getProperty("tcpKeepAlive"));
        assertEquals("10", owned.connectionProperties().getProperty("loginTimeout"));

        assertEquals(null, settings("", "").connectionProperties().getProperty("socketTimeout"));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("", "", "", 0, 10_000, DATA));
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("", "", "", 4, 0, DATA));
    }
}
