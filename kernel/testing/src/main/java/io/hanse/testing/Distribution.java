package io.hanse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The built distribution as an operator runs it, for tests and benchmarks that must stop or kill
 * the server itself: unpacked into a directory of its own, on free loopback ports, started with
 * {@code bin/start}, stopped with {@code bin/stop} or killed with {@code kill -9}, and removed on
 * {@link #close()}. Its first admin's password is set at first start, and HTTP Basic is turned on
 * for it alone, so that {@link #adminToken()} can make an API token.
 */
public final class Distribution implements AutoCloseable {

    private static final Duration BOOT = Duration.ofMinutes(3);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern TOKEN = Pattern.compile("\"secret\"\\s*:\\s*\"(hanse_[A-Za-z0-9_-]+)\"");

    private final Path work;
    private final Path home;
    private final int httpPort;
    private final String adminPassword = "Bench-" + UUID.randomUUID();
    private final Map<String, String> environment = new HashMap<>();

    private Distribution(Path work, Path home, int httpPort) {
        this.work = work;
        this.home = home;
        this.httpPort = httpPort;
        environment.put("HANSE_ADMIN_PASSWORD", adminPassword);
    }

    /**
     * Unpacks the distribution's archive ({@code assembly/target/hanse-*.tar.gz}) into a new
     * directory, on free ports.
     */
    public static Distribution unpack(Path archive) {
        try {
            Path work = Files.createTempDirectory("hanse-distribution");
            run(List.of("tar", "xzf", archive.toString(), "-C", work.toString()));
            Path home;
            try (Stream<Path> entries = Files.list(work)) {
                home = entries.filter(Files::isDirectory).findFirst()
                        .orElseThrow(() -> new IllegalStateException(archive + " holds no directory"));
            }
            int httpPort = freePort();
            replace(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = .*",
                    "org.osgi.service.http.port = " + httpPort);
            replace(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = .*", "sshPort = " + freePort());
            replace(home.resolve("etc/io.hanse.security.cfg"), "basicAuth = .*", "basicAuth = true");
            return new Distribution(work, home, httpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uses this database instead of the embedded one, from the next start on. */
    public Distribution database(String url, String user) {
        environment.put("HANSE_DATABASE_URL", url);
        environment.put("HANSE_DATABASE_USER", user);
        return this;
    }

    /** Names the instance at its first start, instead of after the host. */
    public Distribution name(String name) {
        environment.put("HANSE_INSTANCE_NAME", name);
        return this;
    }

    /**
     * Sets one setting of a configuration in {@code etc/<pid>.cfg}, from the next start on; a setting
     * the file offers commented out ({@code #key = …}) is set there.
     */
    public Distribution configure(String pid, String key, String value) {
        try {
            replace(home.resolve("etc/" + pid + ".cfg"), "#?[ \\t]*" + Pattern.quote(key) + "[ \\t]*=.*",
                    Matcher.quoteReplacement(key + " = " + value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Installs this feature at every start, such as {@code hanse-monitoring}, or {@code name/version}
     * for one version of several offered.
     */
    public Distribution bootFeature(String feature) {
        return prependFeatures("featuresBoot", feature);
    }

    /** Offers the features of this repository too, such as a plugin version the distribution does not ship. */
    public Distribution featureRepository(URI repository) {
        return prependFeatures("featuresRepositories", repository.toString());
    }

    /** Puts a value first in one of the lists in {@code etc/org.apache.karaf.features.cfg}. */
    private Distribution prependFeatures(String key, String value) {
        try {
            replace(home.resolve("etc/org.apache.karaf.features.cfg"), key + "\\s*=\\s*(.*)",
                    Matcher.quoteReplacement(key + " = " + value + ", ") + "$1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Path home() {
        return home;
    }

    /** The HTTP port on loopback. */
    public int httpPort() {
        return httpPort;
    }

    /** The REST API's root, ending in {@code /}. */
    public URI api() {
        return URI.create("http://127.0.0.1:" + httpPort + "/api/v1/");
    }

    /** Starts it in the background and waits until it is healthy. */
    public Distribution start() {
        ProcessBuilder start = new ProcessBuilder(home.resolve("bin/start").toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("start.log").toFile());
        start.environment().putAll(environment);
        try {
            if (start.start().waitFor() != 0) {
                throw new IllegalStateException("bin/start failed; see " + work.resolve("start.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitHealthy();
        return this;
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (send(HttpRequest.newBuilder(api().resolve("health")).GET(), null).statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("not healthy within " + BOOT + "; see " + home.resolve("data/log"));
    }

    /** The server's process id; the JVM Karaf runs in. */
    public long pid() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains("karaf.home=" + home))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("not running"));
    }

    /** Kills the server at once, as a power cut would: {@code kill -9}, nothing flushed. */
    public void kill() {
        ProcessHandle process = ProcessHandle.of(pid()).orElseThrow();
        process.destroyForcibly();
        process.onExit().join();
    }

    /** Stops it with {@code bin/stop}, and kills it if it has not stopped within a minute. */
    public void stop() {
        try {
            new ProcessBuilder(home.resolve("bin/stop").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (running() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(250));
        }
        if (running()) {
            kill();
        }
    }

    private boolean running() {
        return ProcessHandle.allProcesses()
                .anyMatch(process -> process.info().commandLine().orElse("").contains("karaf.home=" + home));
    }

    /** Creates an API token of the first admin. */
    public String adminToken() {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(api().resolve("security/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + UUID.randomUUID() + "\"}")), basic);
        Matcher token = TOKEN.matcher(response.body());
        if (response.statusCode() != 201 || !token.find()) {
            throw new IllegalStateException("no token: " + response.statusCode() + " " + response.body());
        }
        return token.group(1);
    }

    /**
     * Stops it if it runs, and deletes its directory; with {@code HANSE_KEEP_DISTRIBUTIONS=true} in the
     * environment the directory stays, with its logs, for a look after a failed test.
     */
    @Override
    public void close() {
        if (running()) {
            stop();
        }
        if (Boolean.parseBoolean(System.getenv("HANSE_KEEP_DISTRIBUTIONS"))) {
            System.err.println("Kept " + home + " (HANSE_KEEP_DISTRIBUTIONS)");
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String basic) {
        if (basic != null) {
            request.header("Authorization", "Basic " + basic);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void replace(Path file, String regex, String replacement) throws IOException {
        String text = Files.readString(file);
        String replaced = text.replaceAll("(?m)^" + regex + "$", replacement);
        if (replaced.equals(text)) {
            throw new IllegalStateException(file + " has no line matching " + regex);
        }
        Files.writeString(file, replaced);
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
