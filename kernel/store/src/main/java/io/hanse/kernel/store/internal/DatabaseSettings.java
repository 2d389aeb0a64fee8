package io.hanse.kernel.store.internal;

import io.hanse.kernel.store.Database.Kind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The database configuration, checked and completed: which product, which driver, where it is,
 * and how large the connection pool is.
 */
record DatabaseSettings(Kind kind, String url, String user, String password, int maxConnections,
        long connectionWaitMillis) {

    /** The H2 database used when no URL is configured, relative to the data directory. */
    static final String EMBEDDED_PATH = "hanse/hanse";

    // H2 would otherwise close the database from its own shutdown hook, under running bundles.
    private static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE";

    /**
     * What Hanse sets on PostgreSQL connections unless the URL sets it: TCP keep-alives, so that a
     * connection whose server is gone is noticed while idle; a socket timeout of 60 s, so that no
     * statement waits long on a server that stopped answering without closing its connection, yet
     * far above what any statement of a request or of a retention batch takes (the migrations lift
     * it: an index on a large table may take longer); 5 s to open the TCP connection, which a host
     * that is gone or a dropped route would otherwise leave to the operating system; and 10 s for
     * logging in, which a socket timeout alone would leave as long as that.
     */
    static final Map<String, String> POSTGRES_DEFAULTS = Map.of(
            "tcpKeepAlive", "true",
            "socketTimeout", "60",
            "connectTimeout", "5",
            "loginTimeout", "10");

    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)([?&;][a-z0-9._-]*password=)[^&;]*");

    /** The most connections the pool may keep, as the configuration's metatype says. */
    static final int MAX_CONNECTIONS = 200;

    DatabaseSettings {
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("maxConnections must be between 1 and " + MAX_CONNECTIONS + ", not "
                    + maxConnections);
        }
        if (connectionWaitMillis < 1) {
            throw new IllegalArgumentException(
                    "connectionWaitMillis must be at least 1, not " + connectionWaitMillis);
        }
    }

    /**
     * Checks the configured settings and fills in the embedded default.
     *
     * @param url the configured JDBC URL; empty for the embedded database
     * @param dataDirectory the Karaf data directory, home of the embedded database
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    static DatabaseSettings of(String url, String user, String password, int maxConnections,
            long connectionWaitMillis, Path dataDirectory) {
        String effectiveUrl = url.strip();
        if (effectiveUrl.isEmpty()) {
            effectiveUrl = "jdbc:h2:file:" + dataDirectory.resolve(EMBEDDED_PATH);
        }
        Kind kind = kindOf(effectiveUrl);
        if (kind == Kind.POSTGRESQL) {
            checkPostgresUrl(effectiveUrl);
        }
        if (kind == Kind.H2 && !effectiveUrl.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            effectiveUrl = effectiveUrl + H2_OPTIONS;
        }
        return new DatabaseSettings(kind, effectiveUrl, user, password, maxConnections, connectionWaitMillis);
    }

    private static Kind kindOf(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return Kind.H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        throw new IllegalArgumentException("url: '" + redact(url) + "' is not a database Hanse runs on;"
                + " use jdbc:postgresql://host:port/database or jdbc:h2:file:path");
    }

    /**
     * Refuses a PostgreSQL URL the driver would refuse, as its {@code Driver.parseURL} does: checked
     * here, the configuration fails with a message naming what is wrong, where the driver's
     * exception (with the whole URL, password and all) ended the provider's attempts silently.
     */
    private static void checkPostgresUrl(String url) {
        int query = url.indexOf('?');
        String server = url.substring("jdbc:postgresql:".length(), query < 0 ? url.length() : query);
        String problem = null;
        if (server.startsWith("//") && !server.equals("//") && !server.equals("///")) {
            String rest = server.substring(2);
            int slash = rest.indexOf('/');
            if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
                problem = "it does not name one database after host:port/";
            } else {
                problem = decodingProblem(rest.substring(slash + 1), "the database name");
                for (String address : rest.substring(0, slash).split(",", -1)) {
                    int colon = address.lastIndexOf(':');
                    if (colon >= 0 && address.lastIndexOf(']') < colon) {
                        String port = address.substring(colon + 1);
                        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                                || Integer.parseInt(port) > 65_535) {
                            problem = "'" + port + "' is not a port number (1 to 65535)";
                        }
                    }
                }
            }
        } else if (server.startsWith("/") && !server.equals("//") && !server.equals("///")) {
            problem = "a host comes after two slashes";
        } else if (!server.startsWith("/")) {
            problem = decodingProblem(server, "the database name");
        }
        if (problem == null && query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                int equals = parameter.indexOf('=');
                if (equals >= 0 && problem == null) {
                    problem = decodingProblem(parameter.substring(equals + 1),
                            "the value of " + parameter.substring(0, equals));
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("url: '" + redact(url) + "' is no PostgreSQL URL: " + problem
                    + "; use jdbc:postgresql://host:port/database");
        }
    }

    private static String decodingProblem(String text, String what) {
        try {
            URLDecoder.decode(text, StandardCharsets.UTF_8);
            return null;
        } catch (IllegalArgumentException e) {
            return what + " is not URL-encoded right";
        }
    }

    /** The driver class under which the JDBC driver bundle registers its DataSourceFactory. */
    String driverClass() {
        return switch (kind) {
            case H2 -> "org.h2.Driver";
            case POSTGRESQL -> "org.postgresql.Driver";
        };
    }

    /** The URL with any password removed. */
    String displayUrl() {
        return redact(url);
    }

    private static String redact(String url) {
        return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
    }

    /**
     * A text that may hold the URL or the password, such as a driver's exception message, with the
     * password taken out of both.
     */
    String redactFrom(String text) {
        if (text == null) {
            return "";
        }
        String redacted = redact(text.replace(url, displayUrl()));
        return password.isEmpty() ? redacted : redacted.replace(password, "***");
    }

    /** Properties for the driver's XA data source: where the database is and who connects. */
    Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("url", url);
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        if (kind == Kind.POSTGRESQL) {
            Set<String> inUrl = urlParameters();
            POSTGRES_DEFAULTS.forEach((name, value) -> {
                if (!inUrl.contains(name.toLowerCase(Locale.ROOT))) {
                    properties.setProperty(name, value);
                }
            });
        }
        return properties;
    }

    /** The names of the parameters the URL sets after its {@code ?}, in lower case. */
    private Set<String> urlParameters() {
        int query = url.indexOf('?');
        if (query < 0) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String parameter : url.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            names.add((equals < 0 ? parameter : parameter.substring(0, equals)).strip().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    @Override
    public String toString() {
        return kind + " " + displayUrl();
    }
}
