package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.kernel.store.Database.Kind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.Driver;

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
        assertEquals("60", defaults.connectionProperties().getProperty("socketTimeout"));
        assertEquals("5", defaults.connectionProperties().getProperty("connectTimeout"));
        assertEquals("10", defaults.connectionProperties().getProperty("loginTimeout"));

        DatabaseSettings owned = settings("jdbc:postgresql://db/hanse?SocketTimeout=0&tcpKeepAlive=false"
                + "&connectTimeout=30", "");
        assertEquals(null, owned.connectionProperties().getProperty("socketTimeout"));
        assertEquals(null, owned.connectionProperties().getProperty("tcpKeepAlive"));
        assertEquals(null, owned.connectionProperties().getProperty("connectTimeout"));
        assertEquals("10", owned.connectionProperties().getProperty("loginTimeout"));

        assertEquals(null, settings("", "").connectionProperties().getProperty("socketTimeout"));
    }

    @Test
    void aPostgresUrlTheDriverRefusesIsRefusedSayingWhyWithoutThePassword() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> settings("jdbc:postgresql://db:54x2/hanse?user=u&password=s3cret", "s3cret"));

        assertEquals("url: 'jdbc:postgresql://db:54x2/hanse?user=u&password=***' is no PostgreSQL URL: '54x2' is not"
                + " a port number (1 to 65535); use jdbc:postgresql://host:port/database", error.getMessage());
    }

    /** What the driver takes and refuses, checked against the driver itself. */
    @Test
    void postgresUrlsAreTakenAndRefusedAsTheDriverDoes() {
        List<String> urls = List.of("jdbc:postgresql://db:5432/hanse", "jdbc:postgresql://db/hanse",
                "jdbc:postgresql:hanse", "jdbc:postgresql:/", "jdbc:postgresql:/hanse", "jdbc:postgresql:",
                "jdbc:postgresql://", "jdbc:postgresql:///",
                "jdbc:postgresql://[::1]:5432/hanse", "jdbc:postgresql://[::1]/hanse",
                "jdbc:postgresql://a:5432,b:5433/hanse?targetServerType=primary",
                "jdbc:postgresql://db:54x2/hanse", "jdbc:postgresql://db:0/hanse", "jdbc:postgresql://db:65536/hanse",
                "jdbc:postgresql://db:/hanse", "jdbc:postgresql://a:1,b:x/hanse", "jdbc:postgresql://db",
                "jdbc:postgresql://db/hanse/x", "jdbc:postgresql://db/han%zzse", "jdbc:postgresql://db/hanse?ssl=%z",
                "jdbc:postgresql://db/hanse?password=a%20b&ssl");
        for (String url : urls) {
            boolean driverTakes = Driver.parseURL(url, null) != null;
            boolean taken;
            try {
                settings(url, "");
                taken = true;
            } catch (IllegalArgumentException e) {
                taken = false;
            }
            assertEquals(driverTakes, taken, url);
        }
    }

    @Test
    void driverMessagesLoseThePassword() {
        DatabaseSettings settings = settings("jdbc:postgresql://db/hanse?password=inurl", "s3cret");

        assertEquals("Login as *** failed; URL invalid jdbc:postgresql://db/hanse?password=***",
                settings.redactFrom("Login as s3cret failed; URL invalid jdbc:postgresql://db/hanse?password=inurl"));
        assertEquals("", settings.redactFrom(null));
    }

    @Test
    void maxConnectionsIsBoundedAsTheConfigurationSays() {
        assertEquals(200, DatabaseSettings.of("", "", "", 200, 10_000, DATA).maxConnections());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("", "", "", 201, 10_000, DATA));
        assertEquals("maxConnections must be between 1 and 200, not 201", error.getMessage());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("", "", "", 0, 10_000, DATA));
        assertThrows(IllegalArgumentException.class,
                () -> DatabaseSettings.of("", "", "", 4, 0, DATA));
    }
}
