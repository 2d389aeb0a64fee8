package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.doNotModifyLogConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Boots the built Hanse distribution in Pax Exam and talks to it the way users do: over HTTP on
 * loopback and through shell commands.
 */
public abstract class HanseTestSupport {

    static final String EXAMPLE_FEATURE = "hanse-example";
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static final String HTTP_PORT_PROPERTY = "hanse.it.http.port";
    static final String VERSION_PROPERTY = "hanse.version";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected FeaturesService features;

    /** The options every test container gets: the distribution, free ports, and the given extras. */
    static Option[] distribution(Option... extra) {
        String httpPort = Integer.toString(freePort());
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(new File(System.getProperty("hanse.distribution")).toURI().toString())
                        .name("Hanse")
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole(),
                doNotModifyLogConfiguration(),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
                systemProperty(HTTP_PORT_PROPERTY).value(httpPort),
                systemProperty(VERSION_PROPERTY).value(System.getProperty(VERSION_PROPERTY))));
        options.addAll(List.of(extra));
        return options.toArray(Option[]::new);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // HTTP

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + System.getProperty(HTTP_PORT_PROPERTY) + "/api/v1/" + path);
    }

    static HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    static HttpResponse<String> post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    /** Asserts an RFC 9457 problem response with this status whose detail contains the given text. */
    static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertEquals(response.body(), status, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = json(response);
        assertEquals(status, problem.path("status").asInt());
        String detail = problem.path("detail").asText();
        if (!detail.contains(detailPart)) {
            fail("Expected detail containing '" + detailPart + "' but was '" + detail + "'");
        }
    }

    /** Waits until {@code path} answers with {@code status}, and returns that answer. */
    static HttpResponse<String> awaitStatus(String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(path);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET /api/v1/" + path + " did not answer " + status + " within " + TIMEOUT
                + "; last answer: " + (last == null ? "none" : last.statusCode() + " " + last.body()));
    }

    static JsonNode awaitHealthy() throws InterruptedException {
        return json(awaitStatus("health", 200));
    }

    // Shell

    /** Runs a shell command as a user would and returns what it printed. */
    String shell(String command) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            Session session = sessionFactory.create(System.in, out, out);
            session.execute(command);
            out.flush();
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    // Features and bundles

    void installExample() throws Exception {
        features.installFeature(EXAMPLE_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitStatus("example/notes", 200);
    }

    void uninstallExample() throws Exception {
        features.uninstallFeature(EXAMPLE_FEATURE, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitStatus("example/notes", 404);
    }

    /** Stops every kernel bundle, starts them again, and waits until the instance is healthy. */
    JsonNode restartKernel() throws BundleException, InterruptedException {
        List<Bundle> kernel = Stream.of(bundleContext.getBundles())
                .filter(bundle -> bundle.getSymbolicName().startsWith("io.hanse.kernel."))
                .sorted(Comparator.comparingLong(Bundle::getBundleId))
                .toList();
        assertEquals("kernel bundles", 4, kernel.size());
        for (int i = kernel.size() - 1; i >= 0; i--) {
            kernel.get(i).stop();
        }
        for (Bundle bundle : kernel) {
            bundle.start();
        }
        return awaitHealthy();
    }
}
