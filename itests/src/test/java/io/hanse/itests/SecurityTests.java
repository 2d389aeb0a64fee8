package io.hanse.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.Permission.Level;
import io.hanse.api.security.RequiresPermission;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import javax.security.auth.Subject;
import javax.security.auth.login.LoginException;
import javax.sql.DataSource;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.console.Command;
import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Security through REST and the shell, on every database: who may call what, what each caller
 * sees, tokens, logins and the audit log.
 *
 * <p>The tests share one fixture per container: an aggregate with one explicit member, an
 * unrelated system, and four users each bound to one built-in role, with a password and an API
 * token. Who may do what is derived from the running instance itself (its OpenAPI document, its
 * command registry and its permission levels), so an endpoint or command added later is checked
 * without anyone writing a test for it.
 */
public abstract class SecurityTests extends HanseTestSupport {

    /** Starts the names of the fixture's systems and users, one set per container. */
    private static final String FIXTURE = unique("sec");
    /** Every password and token secret the tests used: the log must show none of them. */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    /** What each program run by {@link #run} printed. */
    private static final Map<Process, String> OUTPUTS = new ConcurrentHashMap<>();
    /** Allowed failed logins before a lockout, as {@code freeFailures} in etc/io.hanse.security.cfg ships. */
    private static final int FREE_FAILURES = 5;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");
    private static final Pattern SECRET = Pattern.compile("hanse_[A-Za-z0-9_-]{43}");
    /** How long a shell command may take before it counts as hanging, waiting for input that never comes. */
    private static final Duration SHELL_WAIT = Duration.ofSeconds(20);
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head",
            "options", "trace");

    /** The fixture, once {@link #fixture()} made it. */
    private static Fixture shared;

    /**
     * Someone the tests act as: the level of permissions it holds on the whole instance, and the
     * level it holds on some systems only; either may be {@code null}. Anonymous holds nothing.
     */
    private record Principal(String label, String name, String password, String token, Level everywhere,
            Level onSystems, Set<String> systems) {

        static final Principal ANONYMOUS = new Principal("anonymous", null, null, null, null, null, Set.of());

        /**
         * Returns whether it holds a permission of this level: on the whole instance, or else on the
         * system, or else (without a system) anywhere at all.
         */
        boolean holds(Level level, boolean wholeInstance, String system) {
            if (everywhere != null && level.compareTo(everywhere) <= 0) {
                return true;
            }
            return onSystems != null && !wholeInstance && level.compareTo(onSystems) <= 0
                    && (system == null || systems.contains(system));
        }
    }

    /** The shared systems and users: {@code scoped} is bound on {@code aggregate}, which has {@code member}. */
    private record Fixture(String aggregate, String member, String other, Principal viewer, Principal operator,
            Principal admin, Principal scoped) {

        List<Principal> users() {
            return List.of(viewer, operator, admin, scoped);
        }
    }

    /** An HTTP answer; the body of a stream of events is not read, as it never ends. */
    private record Answer(int status, String body) {

        String detail() {
            try {
                return JSON.readTree(body).path("detail").asText();
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** How a shell command ended: what it printed, or what it failed with, or that it did not end. */
    private record Outcome(String printed, Throwable failure, boolean hung) {

        boolean refused() {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("missing permission") || message.contains("Insufficient credentials")
                        || t.getClass().getSimpleName().equals("CommandNotFoundException")) {
                    return true;
                }
            }
            return false;
        }

        /** Returns what is wrong with this outcome, or {@code null} if it is what {@code allowed} says. */
        String judge(boolean allowed) {
            if (hung) {
                return "did not end within " + SHELL_WAIT.toSeconds() + " s";
            }
            if (allowed && refused()) {
                return "expected to run, but was refused: " + causes(failure);
            }
            if (!allowed && !refused()) {
                return "expected a refusal, but " + (failure == null ? "it printed: " + abbreviate(printed)
                        : "it failed otherwise: " + causes(failure));
            }
            return null;
        }
    }

    // The REST API

    @Test
    public void everyEndpointAnswersEachCallerAsItsPermissionSays() throws Exception {
        Fixture f = fixture();
        installExample();
        try {
            Map<String, Level> levels = permissionLevels();
            JsonNode paths = assertStatus(200, getAs(null, "openapi.json")).path("paths");
            assertTrue("the plugin's endpoints are described", paths.has("/example/notes"));
            List<Principal> callers = new ArrayList<>();
            callers.add(Principal.ANONYMOUS);
            callers.addAll(f.users());

            List<String> mismatches = new ArrayList<>();
            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> items = paths.fields(); items.hasNext(); ) {
                Map.Entry<String, JsonNode> item = items.next();
                for (Iterator<Map.Entry<String, JsonNode>> methods = item.getValue().fields(); methods.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = methods.next();
                    if (HTTP_METHODS.contains(operation.getKey())) {
                        operations++;
                        checkOperation(f, levels, item.getKey(), operation.getKey().toUpperCase(Locale.ROOT),
                                operation.getValue(), callers, mismatches);
                    }
                }
            }

            assertTrue("only " + operations + " operations described", operations >= 40);
            if (!mismatches.isEmpty()) {
                fail(mismatches.size() + " answers of " + operations + " operations differ from their permissions:\n"
                        + String.join("\n", mismatches));
            }
        } finally {
            uninstallExample();
            restoreSystems(f);
        }
    }

    /** Calls one operation as each caller, and as the scoped user on a system outside its scope. */
    private static void checkOperation(Fixture f, Map<String, Level> levels, String template, String method,
            JsonNode operation, List<Principal> callers, List<String> mismatches) {
        String endpoint = method + " " + template;
        JsonNode security = operation.get("security");
        boolean open = security != null && security.isArray() && security.isEmpty();
        JsonNode required = operation.get("x-hanse-permission");
        if (!open && required == null) {
            mismatches.add(endpoint + ": declares neither public access nor a permission");
            return;
        }
        String permission = open ? null : required.path("name").asText();
        Level level = open ? null : levels.get(permission);
        if (!open && level == null) {
            mismatches.add(endpoint + ": needs " + permission + ", which GET /security/permissions does not list");
            return;
        }
        boolean wholeInstance = !open && required.path("everywhere").asBoolean(false);
        // agents:report is held through the built-in role agent only: no user, however powerful, is an agent.
        boolean agentsOnly = !open && permission.equals("agents:report");
        String systemParameter = open || !required.has("system") ? null : required.get("system").asText();
        // A change may delete or rewrite the member it names: put the fixture back before each one.
        boolean changes = !method.equals("GET") && !method.equals("HEAD");

        String path = fill(template, systemParameter, f.member(), f.member());
        for (Principal caller : callers) {
            if (changes) {
                restoreSystems(f);
            }
            boolean allowed = open || caller.name() != null && !agentsOnly
                    && caller.holds(level, wholeInstance, systemParameter == null ? null : f.member());
            String problem = judge(call(caller.token(), method, path), allowed, caller.name() == null, permission,
                    method);
            if (problem != null) {
                mismatches.add(endpoint + " as " + caller.label() + " (" + path + "): " + problem);
            }
        }
        if (systemParameter != null) {
            if (changes) {
                restoreSystems(f);
            }
            String outside = fill(template, systemParameter, f.other(), f.member());
            String problem = judge(call(f.scoped().token(), method, outside), false, false, permission, method);
            if (problem != null) {
                mismatches.add(endpoint + " as scoped on an unrelated system (" + outside + "): " + problem);
            }
        }
    }

    /**
     * Returns what is wrong with an answer, or {@code null} if it is what {@code allowed} says. An answer to
     * HEAD has no body to name the missing permission in.
     */
    private static String judge(Answer answer, boolean allowed, boolean anonymous, String permission,
            String method) {
        if (allowed) {
            if (answer.status() == 401 || answer.status() == 403) {
                return "expected to be let through, but got " + answer;
            }
            // Let through, the empty body must be refused as bad input, never fail the server.
            return answer.status() >= 500 ? "let through, but then the server failed: " + answer : null;
        }
        if (anonymous) {
            return answer.status() == 401 ? null : "expected 401, but got " + answer;
        }
        if (answer.status() != 403
                || !method.equals("HEAD") && !answer.detail().contains("missing permission " + permission)) {
            return "expected 403 naming missing permission " + permission + ", but got " + answer;
        }
        return null;
    }

    /**
     * Makes a path from a template of the OpenAPI document: the system parameter, {@code slug} and
     * {@code member} name systems, {@code id} a random UUID, anything else nobody. A system
     * parameter that is not in the path goes in the query.
     */
    private static String fill(String template, String systemParameter, String system, String member) {
        Matcher variables = PATH_VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        boolean systemInPath = false;
        while (variables.find()) {
            String name = variables.group(1);
            String value;
            if (name.equals(systemParameter)) {
                value = system;
                systemInPath = true;
            } else {
                value = switch (name) {
                    case "slug", "member" -> member;
                    case "id" -> UUID.randomUUID().toString();
                    case "fingerprint" -> "SHA256:none";
                    default -> "nobody";
                };
            }
            variables.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        variables.appendTail(path);
        String filled = path.toString().replaceFirst("^/", "");
        return systemParameter == null || systemInPath ? filled
                : filled + (filled.contains("?") ? "&" : "?") + systemParameter + "=" + encode(system);
    }

    /** Sends a request with an empty JSON object as its body if it may have one; {@code token} may be null. */
    private static Answer call(String token, String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(apiUri(path)).timeout(Duration.ofSeconds(30));
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<InputStream> response = CLIENT.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                    return new Answer(response.statusCode(), "(a stream of events)");
                }
                return new Answer(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // The shell

    @Test
    public void everyHanseCommandRunsForThoseHoldingItsPermissionOnly() throws Exception {
        Fixture f = fixture();
        installExample();
        try {
            // The plugin's commands register on their own, after its endpoints may already answer.
            await("the example plugin's commands", () -> commands().stream()
                    .anyMatch(command -> command.getScope().equals("example")) ? Boolean.TRUE : null);
            Map<String, Level> levels = permissionLevels();
            Map<Principal, Subject> users = new LinkedHashMap<>();
            for (Principal user : f.users()) {
                users.put(user, login(user.name(), user.password()));
            }

            List<String> mismatches = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            List<Command> commands = new ArrayList<>(commands());
            commands.sort(Comparator.comparing(command -> command.getScope() + ":" + command.getName()));
            for (Command command : commands) {
                Class<?> action = actionClass(command);
                if (action == null || !action.getName().startsWith("io.hanse")) {
                    continue;
                }
                String name = command.getScope() + ":" + command.getName();
                RequiresPermission required = action.getAnnotation(RequiresPermission.class);
                if (required == null) {
                    mismatches.add(name + " (" + action.getName() + ") declares no permission");
                    continue;
                }
                Level level = levels.get(required.value());
                if (level == null) {
                    mismatches.add(name + " needs " + required.value() + ", which is not a declared permission");
                    continue;
                }
                String line = commandLine(name, action, f.member());
                lines.add(line);
                for (Map.Entry<Principal, Subject> user : users.entrySet()) {
                    restoreSystems(f);
                    // Every sample system lies in the scoped user's scope, so "anywhere" is the question.
                    boolean allowed = user.getKey().holds(level, required.everywhere(), null);
                    String problem = run(user.getValue(), line).judge(allowed);
                    if (problem != null) {
                        mismatches.add(line + " as " + user.getKey().label() + ": " + problem);
                    }
                }
            }
            for (String expected : List.of("system:list", "security:user-list", "hanse:audit-verify",
                    "timeline:tail --no-follow", "example:note-list")) {
                assertTrue(expected + " among " + lines, lines.contains(expected));
            }

            // A Karaf command with no Hanse ACL is for the admin role only, whatever Hanse permissions one holds;
            // Karaf's own ACL gives bundle:start to its manager role, which Hanse's admin carries as Karaf's do.
            long started = bundleContext.getBundle().getBundleId();
            for (String command : List.of("bundle:list", "bundle:start " + started)) {
                for (Map.Entry<Principal, Subject> user : users.entrySet()) {
                    Outcome outcome = run(user.getValue(), command);
                    boolean allowed = user.getKey().equals(f.admin());
                    String problem = outcome.judge(allowed);
                    if (problem == null && allowed && outcome.failure() != null) {
                        problem = "failed: " + causes(outcome.failure());
                    }
                    if (problem != null) {
                        mismatches.add(command + " as " + user.getKey().label() + ": " + problem);
                    }
                }
            }

            if (!mismatches.isEmpty()) {
                fail(mismatches.size() + " command runs of " + lines.size() + " commands differ from their"
                        + " permissions:\n" + String.join("\n", mismatches));
            }
        } finally {
            uninstallExample();
            restoreSystems(f);
        }
    }

    @Test
    public void everyShellLoginMayReadTheHelpOfWhatItSees() throws Exception {
        Fixture f = fixture();
        Subject viewer = login(f.viewer().name(), f.viewer().password());
        String help = shellAs(viewer, "*:help system");
        assertTrue(help, help.contains("system:list"));
        assertFalse("Karaf's own system commands are not the viewer's: " + help, help.contains("system:shutdown"));
    }

    // SSH, with OpenSSH's client

    /**
     * Over the real SSH server, with OpenSSH's client as people use it: a key login (ed25519) and a
     * password login run the Hanse commands their roles allow, Karaf's own commands stay the
     * admin's, and a key nobody registered is refused.
     */
    @Test
    public void usersLogInOverSshWithTheirKeyOrPassword() throws Exception {
        Fixture f = fixture();
        Path dir = Files.createTempDirectory("hanse-ssh");
        try {
            Path key = dir.resolve("id_ed25519");
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "itest", "-f", key.toString()), Map.of());
            assertStatus(200, post("security/users/" + f.viewer().name() + "/keys",
                    fields("publicKey", Files.readString(dir.resolve("id_ed25519.pub")).strip())));

            Process listed = ssh(f.viewer().name(), List.of("-i", key.toString()), Map.of(), "system:list --json");
            assertEquals(output(listed), 0, listed.exitValue());
            assertTrue(output(listed), output(listed).contains("\"" + f.member() + "\""));
            Process help = ssh(f.viewer().name(), List.of("-i", key.toString()), Map.of(), "help");
            assertTrue("help lists the commands a login may run: " + output(help),
                    output(help).contains("system:list"));
            Process karaf = ssh(f.viewer().name(), List.of("-i", key.toString()), Map.of(), "bundle:list");
            assertTrue(output(karaf), karaf.exitValue() != 0 && output(karaf).contains("Command not found"));

            Path askpass = dir.resolve("askpass");
            Files.writeString(askpass, "#!/bin/sh\necho '" + f.operator().password() + "'\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
            Process shown = ssh(f.operator().name(), List.of("-o", "PubkeyAuthentication=no",
                    "-o", "PreferredAuthentications=password,keyboard-interactive"),
                    Map.of("SSH_ASKPASS", askpass.toString(), "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"),
                    "system:show " + f.member());
            assertEquals(output(shown), 0, shown.exitValue());
            assertTrue(output(shown), output(shown).contains(f.member()));

            Process stranger = ssh(f.operator().name(), List.of("-i", key.toString()), Map.of(), "system:list");
            assertTrue(output(stranger), stranger.exitValue() != 0 && output(stranger).contains("Permission denied"));

            String fingerprint = assertStatus(200, get("security/users/" + f.viewer().name() + "/keys")).get(0)
                    .path("fingerprint").asText();
            // A login is audited as its session is authenticated, on the SSH server's thread: wait for it.
            assertEquals(List.of("login.ssh {\"address\":\"127.0.0.1\",\"with\":\"key " + fingerprint + "\"}"),
                    awaitAudited(f.viewer().name(), "login.ssh").stream().distinct().toList());
            assertEquals(List.of("login.ssh {\"address\":\"127.0.0.1\",\"with\":\"password\"}"),
                    awaitAudited(f.operator().name(), "login.ssh"));
            List<String> refused = awaitAudited(f.operator().name(), "login.key-refused");
            assertTrue(refused.toString(), refused.size() == 1 && refused.get(0).contains("\"key\":\"" + fingerprint)
                    && refused.get(0).contains("the key is another user's"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /**
     * An admin's SSH session running Karaf's own command is closed once the admin is disabled, rather
     * than keeping Karaf's admin role until it ends or idles out.
     */
    @Test
    public void anOpenSshSessionIsClosedWhenItsUserIsDisabled() throws Exception {
        awaitHealthy();
        String name = FIXTURE + "-" + unique("ssh-admin");
        createUser(name, strongPassword());
        bind("admin", name, null);
        Path dir = Files.createTempDirectory("hanse-ssh");
        Process session = null;
        try {
            Path key = dir.resolve("id_ed25519");
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "itest", "-f", key.toString()), Map.of());
            assertStatus(200, post("security/users/" + name + "/keys",
                    fields("publicKey", Files.readString(dir.resolve("id_ed25519.pub")).strip())));
            // Karaf starts a new SSH server on each change of its shell's configuration, and leaves the
            // one it stopped registered: the session is on the new one.
            Set<Object> servers = sshServers();
            shell("config:property-set -p org.apache.karaf.shell sshIdleTimeout 1800001");
            await("Karaf's SSH server started again", () -> servers.containsAll(sshServers()) ? null : true);
            List<String> keyLogin = List.of("-i", key.toString());
            await("a login to the new SSH server", () -> output(ssh(name, keyLogin, Map.of(), "shell:echo ready"))
                    .contains("ready") ? true : null);
            assertFalse("a login to the new server is audited", awaitAudited(name, "login.ssh").isEmpty());
            // Karaf's shell:sleep, which only Karaf's admin role may run, keeps the session open for 5
            // minutes. Its output comes only at its end; a refused login would end at once.
            session = new ProcessBuilder(sshLine(name, List.of("-o", "BatchMode=yes", "-i", key.toString()),
                    "shell:sleep 300000")).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertFalse("the admin logged in and sleeps", session.waitFor(3, TimeUnit.SECONDS));

            assertStatus(200, put("security/users/" + name, fields("disabled", true)));

            assertTrue("the session of a disabled user was closed", session.waitFor(10, TimeUnit.SECONDS));
            String printed = new String(session.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertFalse(printed, printed.contains("Permission denied"));
        } finally {
            if (session != null) {
                session.destroy();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    /** The service ids of Karaf's SSH servers registered, whether they run or not. */
    private Set<Object> sshServers() throws InvalidSyntaxException {
        ServiceReference<?>[] found = bundleContext.getAllServiceReferences("org.apache.sshd.server.SshServer", null);
        return found == null ? Set.of() : Arrays.stream(found).map(server -> server.getProperty(Constants.SERVICE_ID))
                .collect(Collectors.toSet());
    }

    /** The audit entries of one action on a user, newest first, each as its action and what it says after. */
    /** Returns what {@link #audited} finds once it finds something, or nothing after the wait. */
    private static List<String> awaitAudited(String user, String action) throws Exception {
        try {
            return await(action + " of user/" + user, () -> {
                List<String> found = audited(user, action);
                return found.isEmpty() ? null : found;
            });
        } catch (AssertionError none) {
            return List.of();
        }
    }

    private static List<String> audited(String user, String action) {
        JsonNode entries = assertStatus(200, get("audit?target=" + encode("user/" + user))).path("entries");
        return StreamSupport.stream(entries.spliterator(), false).filter(e -> e.path("action").asText().equals(action))
                .map(e -> action + " " + e.path("after").asText()).toList();
    }

    /** Runs {@code ssh} to this instance's SSH port, in batch mode unless a password is to be asked for. */
    private static Process ssh(String user, List<String> options, Map<String, String> environment, String command)
            throws Exception {
        List<String> line = new ArrayList<>(environment.isEmpty() ? List.of("-o", "BatchMode=yes") : List.of());
        line.addAll(options);
        return run(sshLine(user, line, command), environment);
    }

    /** The command line of {@code ssh} to this instance's SSH port. */
    private static List<String> sshLine(String user, List<String> options, String command) {
        List<String> line = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p",
                System.getProperty(SSH_PORT_PROPERTY), "-o", "StrictHostKeyChecking=no", "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-o",
                "ConnectTimeout=10"));
        line.addAll(options);
        line.addAll(List.of(user + "@127.0.0.1", command));
        return line;
    }

    /**
     * Runs a program of OpenSSH's client, which these tests need like PostgreSQL: .ci/run installs it.
     * Its output, both streams, is kept for {@link #output(Process)}.
     */
    private static Process run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("'" + command.get(0) + "' is not installed: install OpenSSH's client"
                    + " (apt-get install openssh-client), as .ci/run does", e);
        }
        byte[] printed = process.getInputStream().readAllBytes();
        assertTrue(command + " did not finish", process.waitFor(30, TimeUnit.SECONDS));
        OUTPUTS.put(process, new String(printed, StandardCharsets.UTF_8));
        return process;
    }

    private static String output(Process process) {
        return OUTPUTS.get(process);
    }

    // The permission list in the docs

    /**
     * Renders docs/permissions.md from the running kernel (its declared permissions, the OpenAPI
     * document and the shell's commands) and fails when the file in the repository differs; with
     * {@code -Dhanse.docs.write=true} it rewrites the file instead.
     */
    @Test
    public void thePermissionListInTheDocsIsCurrent() throws Exception {
        Set<String> kernel = new TreeSet<>();
        for (Field field : KernelPermissions.class.getFields()) {
            kernel.add((String) field.get(null));
        }
        Map<String, List<String>> endpoints = new TreeMap<>();
        List<String> open = new ArrayList<>();
        JsonNode paths = assertStatus(200, get("openapi.json")).path("paths");
        paths.fieldNames().forEachRemaining(path -> paths.path(path).fields().forEachRemaining(operation -> {
            String endpoint = "`" + operation.getKey().toUpperCase(Locale.ROOT) + " " + path + "`";
            JsonNode permission = operation.getValue().path("x-hanse-permission");
            if (permission.isMissingNode()) {
                open.add(endpoint);
            } else {
                endpoints.computeIfAbsent(permission.path("name").asText(), name -> new ArrayList<>())
                        .add(endpoint + where(permission.path("system").asText(null),
                                permission.path("everywhere").asBoolean()));
            }
        }));
        Map<String, List<String>> commands = new TreeMap<>();
        for (Command command : commands()) {
            Class<?> action = actionClass(command);
            RequiresPermission required = action == null ? null : action.getAnnotation(RequiresPermission.class);
            if (required != null) {
                commands.computeIfAbsent(required.value(), name -> new ArrayList<>())
                        .add("`" + command.getScope() + ":" + command.getName() + "`"
                                + where(null, required.everywhere()));
            }
        }
        StringBuilder text = new StringBuilder("""
                # Permissions

                Generated from a running kernel by `SecurityTests.thePermissionListInTheDocsIsCurrent`, which
                fails when this file is out of date; `./mvnw verify -pl itests -Dit.test=H2IT -Dhanse.docs.write=true`
                rewrites it. Plugins declare their own permissions, which join the built-in roles of their level
                while the plugin is installed.

                A permission is held on the whole instance or on systems (a system and, by default, all it
                aggregates). An endpoint or command marked *on {param}* needs it on the system that parameter
                names, *whole instance* needs it on the whole instance; the others need it anywhere and show
                only what lies in the caller's scope.

                | permission | built-in roles | allows | REST (`/api/v1`) | shell |
                |---|---|---|---|---|
                """);
        for (JsonNode permission : assertStatus(200, get("security/permissions"))) {
            String name = permission.path("name").asText();
            if (!kernel.contains(name)) {
                continue;
            }
            text.append("| `").append(name).append("` | ")
                    .append(roles(Level.valueOf(permission.path("level").asText()))).append(" | ")
                    .append(permission.path("description").asText()).append(" | ")
                    .append(String.join(", ", endpoints.getOrDefault(name, List.of()))).append(" | ")
                    .append(String.join(", ", new TreeSet<>(commands.getOrDefault(name, List.of())))).append(" |\n");
        }
        text.append("\nPublic, without credentials: ").append(String.join(", ", open)).append(",\n")
                .append("and `OPTIONS` on any path that declares no `OPTIONS` method of its own: Jersey's answer,")
                .append(" which names the\npath's methods in `Allow` and nothing else.\n");

        Path file = Path.of(System.getProperty(DOCS_PROPERTY));
        if (Boolean.parseBoolean(System.getProperty(DOCS_WRITE_PROPERTY))) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        }
        assertEquals(file + " is out of date; rewrite it with -Dhanse.docs.write=true",
                text.toString(), Files.exists(file) ? Files.readString(file) : "");
    }

    private static String where(String system, boolean everywhere) {
        return everywhere ? " (whole instance)" : system == null ? "" : " (on {" + system + "})";
    }

    private static String roles(Level level) {
        return switch (level) {
            case READ -> "viewer, operator, admin";
            case OPERATE -> "operator, admin";
            case ADMINISTER -> "admin";
        };
    }

    /** Returns the class of the action a command runs, or {@code null} if it is not an action command. */
    private static Class<?> actionClass(Command command) {
        try {
            return (Class<?>) command.getClass().getMethod("getActionClass").invoke(command);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read the action class of " + command, e);
        }
    }

    /**
     * Returns a command line with a sample value for each required argument, derived from its
     * name, and {@code --no-follow} where the command would otherwise follow forever. Karaf
     * wants options before arguments.
     */
    private static String commandLine(String name, Class<?> action, String system) {
        Map<Integer, String> required = new TreeMap<>();
        boolean follows = false;
        for (Class<?> type = action; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                Argument argument = field.getAnnotation(Argument.class);
                if (argument != null && argument.required()) {
                    required.put(argument.index(),
                            Argument.DEFAULT.equals(argument.name()) ? field.getName() : argument.name());
                }
                Option option = field.getAnnotation(Option.class);
                if (option != null && (option.name().equals("--no-follow")
                        || List.of(option.aliases()).contains("--no-follow"))) {
                    follows = true;
                }
            }
        }
        StringBuilder line = new StringBuilder(name);
        if (follows) {
            line.append(" --no-follow");
        }
        for (String argument : required.values()) {
            line.append(' ').append(switch (argument) {
                case "slug", "aggregate", "member", "members", "system" -> system;
                case "id" -> UUID.randomUUID().toString();
                case "fingerprint" -> "SHA256:none";
                case "permission", "permissions" -> "systems:read";
                case "role" -> "viewer";
                default -> "nobody";
            });
        }
        return line.toString();
    }

    /** Returns every command of the shell, as the first admin sees them. */
    private List<Command> commands() throws Exception {
        return onThreadOfItsOwn(() -> Subject.doAs(admin, (PrivilegedAction<List<Command>>)
                () -> List.copyOf(sessionFactory.getRegistry().getCommands())))
                .get(SHELL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a command as a logged-in user, giving up on it after {@link #SHELL_WAIT}. */
    private Outcome run(Subject user, String command) throws InterruptedException {
        Future<String> running = onThreadOfItsOwn(() -> shellAs(user, command));
        try {
            String printed = running.get(SHELL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            remember(printed);
            return new Outcome(printed, null, false);
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause(), false);
        } catch (TimeoutException e) {
            running.cancel(true);
            return new Outcome(null, null, true);
        }
    }

    /**
     * Starts work on a new thread. Karaf's shell remembers per thread which commands may be seen,
     * by whoever ran there first, so each user and each listing gets a thread of its own.
     */
    private static <T> Future<T> onThreadOfItsOwn(Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, "security-tests-shell");
        thread.setDaemon(true);
        thread.start();
        return task;
    }

    // What a caller sees

    @Test
    public void aUserBoundOnOneSystemSeesThatSystemAndItsMembersOnly() throws Exception {
        Fixture f = fixture();
        restoreSystems(f);
        String token = f.scoped().token();

        assertEquals(List.of(f.member(), f.aggregate()), slugs(assertStatus(200, getAs(token, "systems"))));
        assertEquals(List.of(f.member()), slugs(assertStatus(200,
                getAs(token, "systems/" + f.aggregate() + "/members"))));
        assertProblem(getAs(token, "systems/" + f.other()), 403,
                "missing permission systems:read on system '" + f.other() + "'");

        // Stored events: only those about systems in scope come back, even when asked for others.
        String p = unique("seen");
        String type = "probe." + p;
        assertStatus(201, post("timeline/events", fields("id", p + "-member", "type", type, "system", f.member())));
        assertStatus(201, post("timeline/events", fields("id", p + "-other", "type", type, "system", f.other())));
        assertEquals(Set.of(p + "-other", p + "-member"), Set.copyOf(ids(assertStatus(200,
                get("timeline/events?type=" + type)))));
        assertEquals(List.of(p + "-member"), ids(assertStatus(200, getAs(token, "timeline/events?type=" + type))));
        // A system outside the scope is answered as one that does not exist.
        assertProblem(getAs(token, "timeline/events?type=" + type + "&system=" + f.other()), 404,
                "no system '" + f.other() + "'");
        assertProblem(getAs(token, "timeline/events?type=" + type + "&system=" + p + "-ghost"), 404,
                "no system '" + p + "-ghost'");

        // The live stream: an event about the unrelated system is not delivered, the next one in scope is.
        List<ServerSentEvent> seen = new ArrayList<>();
        try (EventStream stream = openStreamAs(token, "timeline/stream?type=" + type)) {
            awaitSubscribed(stream, f.member(), type, p + "-ready-", seen);
            assertStatus(201, post("timeline/events", fields("id", p + "-live-other", "type", type,
                    "system", f.other())));
            assertStatus(201, post("timeline/events", fields("id", p + "-live-member", "type", type,
                    "system", f.member())));
            stream.await(event -> (p + "-live-member").equals(event.id()), EVENT_WAIT, seen);
        }
        for (ServerSentEvent event : seen) {
            assertEquals(seen.toString(), f.member(), event.json().path("system").asText());
        }

        // The shell shows the same.
        Subject scoped = login(f.scoped().name(), f.scoped().password());
        assertEquals(List.of(f.member(), f.aggregate()), slugs(JSON.readTree(shellAs(scoped, "system:list --json"))));
    }

    @Test
    public void aLiveStreamEndsWhenItsCallersRightsChangeAndOneCallerHasTenAtMost() throws Exception {
        Fixture f = fixture();
        restoreSystems(f);
        String name = FIXTURE + "-" + unique("streams");
        createUser(name, strongPassword());
        String binding = assertStatus(201, post("security/bindings", fields("role", "viewer", "user", name,
                "system", f.member()))).path("id").asText();
        String token = secret(assertStatus(201, post("security/tokens", fields("name", "streams", "user", name))));
        String p = unique("rights");
        String type = "probe." + p;
        List<EventStream> streams = new ArrayList<>();
        try {
            List<ServerSentEvent> seen = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                streams.add(openStreamAs(token, "timeline/stream?type=" + type));
                awaitSubscribed(streams.get(i), f.member(), type, p + "-ready-" + i + "-", seen);
            }
            assertProblem(getAs(token, "timeline/stream?type=" + type), 429,
                    "already 10 live streams open for " + name + "; close one first");

            // Unbound, the user may no longer read the member's timeline: the streams end rather than go on.
            assertStatus(204, delete("security/bindings/" + binding));
            assertStatus(201, post("timeline/events", fields("id", p + "-after", "type", type,
                    "system", f.member())));
            for (EventStream stream : streams) {
                ServerSentEvent end = stream.await(event -> !event.event().startsWith("probe."), EVENT_WAIT,
                        new ArrayList<>());
                assertEquals("end", end.event());
                assertEquals("the credentials no longer hold, or what they allow changed; connect again",
                        end.data());
            }
        } finally {
            streams.forEach(EventStream::close);
        }
        // Ended, they no longer count.
        bind("viewer", name, f.member());
        try (EventStream again = openStreamAs(token, "timeline/stream?type=" + type)) {
            awaitSubscribed(again, f.member(), type, p + "-again-", new ArrayList<>());
        }
    }

    // Tokens

    @Test
    public void tokensStopWorkingWhenExpiredOrRevokedAndCarryOnlyTheirRoles() throws Exception {
        Fixture f = fixture();
        Principal viewer = f.viewer();

        JsonNode shortLived = assertStatus(201, post("security/tokens", fields("name", unique("short"),
                "user", viewer.name(), "expiresIn", "PT2S")));
        String shortSecret = secret(shortLived);
        assertStatus(200, getAs(shortSecret, "systems"));
        Instant expires = Instant.parse(shortLived.path("token").path("expires").asText());
        while (!Instant.now().isAfter(expires.plusMillis(500))) {
            Thread.sleep(100);
        }
        assertProblem(getAs(shortSecret, "systems"), 401, "the credentials are not valid");

        // A revoked token is refused at once, and in the same words as one that never existed.
        JsonNode revocable = assertStatus(201, post("security/tokens", fields("name", unique("revoked"),
                "user", viewer.name())));
        String revocableSecret = secret(revocable);
        assertStatus(200, getAs(revocableSecret, "systems"));
        String revocableId = revocable.path("token").path("id").asText();
        JsonNode revoked = assertStatus(200, delete("security/tokens/" + revocableId));
        assertTrue(revoked.toString(), revoked.path("revoked").isTextual());
        HttpResponse<String> afterRevocation = getAs(revocableSecret, "systems");
        HttpResponse<String> unknown = getAs("hanse_" + "x".repeat(43), "systems");
        assertProblem(afterRevocation, 401, "the credentials are not valid");
        assertProblem(unknown, 401, "the credentials are not valid");
        assertEquals(json(unknown).path("detail"), json(afterRevocation).path("detail"));

        // A token limited to one of its user's roles carries only that role's permissions.
        String name = FIXTURE + "-" + unique("roles");
        createUser(name, strongPassword());
        bind("operator", name, null);
        bind("viewer", name, null);
        String full = secret(assertStatus(201, post("security/tokens", fields("name", "full", "user", name))));
        String limited = secret(assertStatus(201, post("security/tokens", fields("name", "limited", "user", name,
                "roles", List.of("viewer")))));
        String p = unique("roles");
        assertStatus(201, postAs(full, "timeline/events", fields("id", p + "-full", "type", "probe.append",
                "system", f.member())));
        assertProblem(postAs(limited, "timeline/events", fields("id", p + "-limited", "type", "probe.append",
                "system", f.member())), 403, "missing permission timeline:append");
        assertEquals(List.of(p + "-full"), ids(assertStatus(200, getAs(limited, "timeline/events?type=probe.append"
                + "&system=" + f.member()))).stream().filter(id -> id.startsWith(p)).toList());

        // Lists of tokens never show a token itself.
        String everyone = assertStatus(200, get("security/tokens?user=*")).toString();
        String own = assertStatus(200, getAs(viewer.token(), "security/tokens")).toString();
        String shown = shell("security:token-list --all --json");
        for (String list : List.of(everyone, own, shown)) {
            assertTrue(list, list.contains(revocableId));
            for (String secret : SECRETS) {
                assertFalse("a token list shows a secret", list.contains(secret));
            }
        }
        assertFalse(SECRET.matcher(everyone + own + shown).find());
    }

    // Logins and bad input

    @Test
    public void httpBasicIsRefusedAsTurnedOff() throws Exception {
        Principal viewer = fixture().viewer();
        String basic = Base64.getEncoder().encodeToString((viewer.name() + ":" + viewer.password())
                .getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> answer = sendAs(null, HttpRequest.newBuilder(apiUri("systems"))
                .header("Authorization", "Basic " + basic).GET());

        assertProblem(answer, 401, "HTTP Basic is turned off");
    }

    @Test
    public void wrongPasswordsLockTheUserOutForAWhile() throws Exception {
        awaitHealthy();
        String name = FIXTURE + "-" + unique("guess");
        String password = strongPassword();
        createUser(name, password);

        for (int i = 1; i <= FREE_FAILURES; i++) {
            assertLoginRefused(name, wrongPassword(), "the credentials are not valid");
        }
        // The first failure beyond the free ones locks the user out: now even the right password is refused.
        assertLoginRefused(name, wrongPassword(), "the credentials are not valid");
        assertLoginRefused(name, password, "too many failed logins");

        // The first lockout lasts a second; then the right password works again.
        Subject subject = await("the lockout of " + name + " to end", () -> {
            try {
                return login(name, password);
            } catch (LoginException stillLocked) {
                assertTrue(stillLocked.getMessage(), stillLocked.getMessage().contains("too many failed logins"));
                return null;
            }
        });
        assertTrue(subject.getPrincipals().stream().anyMatch(principal -> principal.getName().equals(name)));
    }

    private static void assertLoginRefused(String name, String password, String why) {
        try {
            login(name, password);
            fail("logged in as " + name);
        } catch (LoginException expected) {
            assertTrue(causes(expected), causes(expected).contains(why));
        }
    }

    @Test
    public void badSecurityInputIsRefusedWithTheReason() throws Exception {
        Fixture f = fixture();
        String ghost = FIXTURE + "-ghost";
        String fresh = FIXTURE + "-" + unique("fresh");

        assertProblem(get("security/users/" + ghost), 404, "no user '" + ghost + "'");
        assertProblem(get("security/roles/no-such-role"), 404, "no role 'no-such-role'");
        assertProblem(post("security/bindings", fields("role", "no-such-role", "user", f.viewer().name())), 404,
                "no role 'no-such-role'");
        assertProblem(post("security/bindings", fields("role", "viewer", "user", ghost)), 404,
                "no user '" + ghost + "'");
        assertProblem(post("security/users", newUser(f.viewer().name(), strongPassword())), 409,
                "user '" + f.viewer().name() + "' already exists");

        assertProblem(post("security/users", newUser(fresh, "")), 400, "the password is empty");
        assertProblem(post("security/users", newUser(fresh, "Kq7short")), 400,
                "too short: it needs at least 12 characters");
        assertProblem(post("security/users", newUser(fresh, "abababababab")), 400,
                "at least 5 different characters");
        assertProblem(post("security/users", newUser(fresh, "Kq7" + fresh)), 400,
                "it contains the user name");
        assertProblem(post("security/users", newUser(fresh, "Kq7Password99")), 400,
                "it contains a commonly used word");
        assertProblem(put("security/users/" + f.viewer().name() + "/password", fields("password", "Kq7short")), 400,
                "too short");
        assertProblem(get("security/users/" + fresh), 404, "no user '" + fresh + "'");

        assertProblem(postAs(f.operator().token(), "security/users", newUser(fresh, strongPassword())), 403,
                "missing permission security:write on the whole instance");
        assertProblem(getAs(f.viewer().token(), "audit"), 403, "missing permission audit:read on the whole instance");
        assertProblem(getAs(f.scoped().token(), "systems/" + f.other()), 403,
                "missing permission systems:read on system '" + f.other() + "'");
        assertProblem(get("security/users/" + fresh), 404, "no user '" + fresh + "'");

        assertProblem(post("security/bindings", fields("user", f.viewer().name())), 400, "role is required");
        assertProblem(post("security/bindings", fields("role", "viewer", "user", f.viewer().name(), "includeMembers",
                false)), 400, "includeMembers false needs a system");
        assertProblem(put("security/users/" + f.viewer().name(), fields("displayName", "x".repeat(201))), 400,
                "displayName is at most 200 characters long");
        assertProblem(postAs(f.viewer().token(), "security/tokens", fields("name", unique("null-role"), "roles",
                Arrays.asList((Object) null))), 400, "none of them null");
        for (String hidden : List.of(f.other(), FIXTURE + "-nope")) {
            assertProblem(postAs(f.scoped().token(), "security/tokens", fields("name", unique("hidden"), "systems",
                    List.of(hidden))), 404, "no system '" + hidden + "'");
        }
    }

    @Test
    public void securityWriteGrantsNoMoreThanItsHolderHolds() throws Exception {
        Fixture f = fixture();
        String role = unique("security-manager");
        String name = FIXTURE + "-" + unique("um");
        String um = securityManager(role, name, strongPassword());

        assertProblem(postAs(um, "security/bindings", fields("role", "admin", "user", name)), 403,
                "missing permission");
        assertProblem(postAs(um, "security/tokens", fields("name", "x", "user", f.admin().name())), 403,
                "user " + f.admin().name() + " holds it");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/users/" + f.admin().name() + "/password"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(fields("password", strongPassword()))))), 403,
                "missing permission");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/roles/" + role))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(fields("permissions", List.of("security:write",
                        "systems:write")))))), 403, "missing permission systems:write on the whole instance");
        String granted = FIXTURE + "-" + unique("granted");
        createUser(granted, strongPassword());
        assertStatus(201, postAs(um, "security/bindings", fields("role", role, "user", granted)));

        JsonNode refused = assertStatus(200, get("audit?target=" + encode("user/" + name))).path("entries");
        assertTrue(refused.toString(), texts(refused, "action").contains("binding.create-refused"));
        JsonNode bindings = assertStatus(200, get("security/bindings"));
        assertEquals(bindings.toString(), List.of(role), StreamSupport.stream(bindings.spliterator(), false)
                .filter(binding -> name.equals(binding.path("user").asText()))
                .map(binding -> binding.path("role").asText()).toList());
    }

    @Test
    public void securityWriteTakesAwayNoMoreThanItsHolderHolds() throws Exception {
        Fixture f = fixture();
        String um = securityManager(unique("security-manager"), FIXTURE + "-" + unique("um"), strongPassword());
        String admin = f.admin().name();
        String adminBinding = StreamSupport.stream(assertStatus(200, get("security/bindings")).spliterator(), false)
                .filter(binding -> admin.equals(binding.path("user").asText())
                        && binding.path("role").asText().equals("admin"))
                .findFirst().orElseThrow().path("id").asText();
        String group = unique("admins");
        String member = FIXTURE + "-" + unique("member");
        createUser(member, strongPassword());
        assertStatus(201, post("security/groups", fields("name", group)));
        assertStatus(201, post("security/bindings", fields("role", "admin", "group", group)));
        assertStatus(200, put("security/groups/" + group + "/members/" + member));
        String auditor = unique("auditor");
        assertStatus(201, post("security/roles", fields("name", auditor, "permissions", List.of("audit:read"))));

        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/users/" + admin))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(toJson(fields("disabled", true))))), 403,
                "user " + admin + " holds it, and a caller takes away only what it holds");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/users/" + admin)).DELETE()), 403,
                "user " + admin + " holds it");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/bindings/" + adminBinding)).DELETE()), 403,
                "role admin grants it");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/groups/" + group + "/members/" + member))
                .DELETE()), 403, "group " + group + " grants it");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/groups/" + group)).DELETE()), 403,
                "group " + group + " grants it");
        assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/roles/" + auditor)).DELETE()), 403,
                "missing permission audit:read on the whole instance");

        JsonNode refused = assertStatus(200, get("audit?target=" + encode("user/" + admin))).path("entries");
        assertTrue(refused.toString(), texts(refused, "action").containsAll(List.of("user.update-refused",
                "user.delete-refused")));
        assertFalse(assertStatus(200, get("security/users/" + admin)).path("disabled").asBoolean());
        assertTrue(assertStatus(200, get("security/groups/" + group)).path("members").toString().contains(member));
        assertStatus(204, delete("security/groups/" + group));
        assertStatus(204, delete("security/roles/" + auditor));
    }

    /** Over REST and in the shell: else security:write could lock an admin out by its keys and tokens. */
    @Test
    public void securityWriteRemovesNoKeyAndRevokesNoTokenOfOneWhoHoldsMore() throws Exception {
        Fixture f = fixture();
        String admin = f.admin().name();
        String name = FIXTURE + "-" + unique("um");
        String password = strongPassword();
        String um = securityManager(unique("security-manager"), name, password);
        String token = assertStatus(201, post("security/tokens", fields("name", unique("laptop"), "user", admin)))
                .path("token").path("id").asText();
        String key = assertStatus(200, post("security/users/" + admin + "/keys",
                fields("publicKey", new SignedAgent(apiUri("").toString()).publicKey()))).path("fingerprint").asText();
        try {
            assertProblem(sendAs(um, HttpRequest.newBuilder(apiUri("security/tokens/" + token)).DELETE()), 403,
                    "user " + admin + " holds it, and a caller takes away only what it holds");
            Subject shell = login(name, password);
            for (String command : List.of("security:token-revoke " + token,
                    "security:key-remove " + admin + " " + key)) {
                String refused = messages(shellFailureAs(shell, command));
                assertTrue(refused, refused.contains("user " + admin + " holds it"));
            }

            JsonNode entries = assertStatus(200, get("audit?actor=" + encode(name))).path("entries");
            assertTrue(entries.toString(), texts(entries, "action").containsAll(List.of("token.revoke-refused",
                    "key.remove-refused")));
            JsonNode tokens = assertStatus(200, get("security/tokens?user=" + admin));
            assertTrue(tokens.toString(), StreamSupport.stream(tokens.spliterator(), false).anyMatch(listed ->
                    listed.path("id").asText().equals(token) && listed.path("revoked").isMissingNode()));
            JsonNode keys = assertStatus(200, get("security/users/" + admin + "/keys"));
            assertTrue(keys.toString(), texts(keys, "fingerprint").contains(key));
        } finally {
            shell("security:key-remove " + admin + " " + key);
            shell("security:token-revoke " + token);
        }
    }

    /** About half of all keys have a {@code /} in their fingerprint; REST removes them all the same. */
    @Test
    public void restRemovesAKeyWhoseFingerprintHasASlash() throws Exception {
        Fixture f = fixture();
        SignedAgent agent;
        String key;
        do {
            agent = new SignedAgent(apiUri("").toString());
            key = agent.publicKey();
        } while (!agent.fingerprint().contains("/"));
        String fingerprint = assertStatus(200, post("security/users/" + f.viewer().name() + "/keys",
                fields("publicKey", key))).path("fingerprint").asText();
        assertEquals("the fingerprint the test computed", agent.fingerprint(), fingerprint);
        assertStatus(204, delete("security/users/" + f.viewer().name() + "/keys/" + fingerprint));
        JsonNode keys = assertStatus(200, get("security/users/" + f.viewer().name() + "/keys"));
        assertFalse(keys.toString(), texts(keys, "fingerprint").contains(fingerprint));
    }

    /** One user that cannot be added or removed leaves the others as they were. */
    @Test
    public void groupMembersChangeAllOrNoneInTheShell() throws Exception {
        awaitHealthy();
        String group = unique("all-or-none");
        String member = FIXTURE + "-" + unique("member");
        String other = FIXTURE + "-" + unique("other");
        String ghost = FIXTURE + "-" + unique("ghost");
        createUser(member, strongPassword());
        createUser(other, strongPassword());
        assertStatus(201, post("security/groups", fields("name", group)));
        shell("security:group-member-add " + group + " " + member);

        for (String command : List.of("group-member-add " + group + " " + other, "group-member-remove " + group
                + " " + member)) {
            String failure = messages(shellFailure("security:" + command + " " + ghost));
            assertTrue(failure, failure.contains("no user '" + ghost + "'"));
        }
        assertEquals(List.of(member), texts(assertStatus(200, get("security/groups/" + group)).path("members")));

        String printed = shell("security:group-member-remove " + group + " " + member + " " + other);
        assertTrue(printed, printed.contains("Removed " + member + " from group " + group));
        assertTrue(printed, printed.contains(other + " is not in group " + group));
        assertStatus(204, delete("security/groups/" + group));
    }

    // Audit

    @Test
    public void changesAreAuditedAndTamperingIsFound() throws Exception {
        awaitHealthy();
        String slug = unique("audited");
        assertStatus(201, post("systems", fields("slug", slug)));
        assertStatus(200, put("systems/" + slug, fields("slug", slug, "name", "Audited")));

        JsonNode entries = assertStatus(200, get("audit?target=" + encode("system/" + slug))).path("entries");
        assertEquals(entries.toString(), List.of("system.update", "system.create"), texts(entries, "action"));
        for (JsonNode entry : entries) {
            assertEquals(entry.toString(), "admin", entry.path("actor").asText());
            assertEquals(entry.toString(), "user", entry.path("actorKind").asText());
            assertEquals(entry.toString(), "system/" + slug, entry.path("target").asText());
        }
        assertTrue(entries.get(0).path("after").asText().contains("\"name\":\"Audited\""));
        long seq = entries.get(1).path("seq").asLong();
        assertTrue(assertStatus(200, get("audit/verify")).path("intact").asBoolean());

        ServiceReference<DataSource> reference = hanseDataSource();
        DataSource database = bundleContext.getService(reference);
        try {
            assertEquals("system.create", auditAction(database, seq));
            setAuditAction(database, seq, "forged");
            try {
                JsonNode verification = assertStatus(200, get("audit/verify"));
                assertFalse(verification.toString(), verification.path("intact").asBoolean());
                assertEquals(verification.toString(), seq, verification.path("firstBroken").asLong());
                assertTrue(verification.toString(), verification.path("problem").asText()
                        .contains("entry " + seq + " was changed after it was written"));
                String failure = causes(shellFailure("hanse:audit-verify"));
                assertTrue(failure, failure.contains("Audit log broken at entry " + seq + ":"));
            } finally {
                setAuditAction(database, seq, "system.create");
            }
        } finally {
            bundleContext.ungetService(reference);
        }
        assertTrue(assertStatus(200, get("audit/verify")).path("intact").asBoolean());
        String intact = shell("hanse:audit-verify");
        assertTrue(intact, intact.startsWith("Audit log intact: "));
    }

    private ServiceReference<DataSource> hanseDataSource() throws InvalidSyntaxException {
        Collection<ServiceReference<DataSource>> found = bundleContext.getServiceReferences(DataSource.class,
                "(osgi.jndi.service.name=hanse)");
        assertEquals("data sources named hanse", 1, found.size());
        return found.iterator().next();
    }

    private static String auditAction(DataSource database, long seq) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT action FROM hanse_audit WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet row = select.executeQuery()) {
                assertTrue("audit entry " + seq, row.next());
                return row.getString(1);
            }
        }
    }

    /** Changes an audit entry behind Hanse's back, as someone with access to the database could. */
    private static void setAuditAction(DataSource database, long seq, String action) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE hanse_audit SET action = ? WHERE seq = ?")) {
            connection.setAutoCommit(true);
            update.setString(1, action);
            update.setLong(2, seq);
            assertEquals(1, update.executeUpdate());
        }
    }

    // The log

    @Test
    public void theLogShowsNoPasswordAndNoTokenSecret() throws Exception {
        fixture();
        // Put a fresh password and token through each way in, so that the log has its chance to show them.
        String name = FIXTURE + "-" + unique("canary");
        String password = strongPassword();
        shell("security:user-add --password " + password + " " + name);
        shell("security:bind --user " + name + " viewer");
        login(name, password);
        String changed = strongPassword();
        assertStatus(204, put("security/users/" + name + "/password", fields("password", changed)));
        login(name, changed);
        String fromShell = token(shell("security:token-create --user " + name + " " + unique("canary")));
        SECRETS.add(fromShell);
        assertStatus(200, getAs(fromShell, "systems"));
        String fromRest = secret(assertStatus(201, post("security/tokens", fields("name", unique("canary"),
                "user", name))));
        assertStatus(200, getAs(fromRest, "timeline/events"));

        Set<String> secrets = new TreeSet<>(SECRETS);
        secrets.add(adminToken);
        Path adminPassword = Path.of(System.getProperty("karaf.data"), "hanse-admin-password");
        if (Files.exists(adminPassword)) {
            secrets.add(Files.readString(adminPassword).strip());
        }
        String log = Files.readString(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));

        assertTrue("this is the instance's log", log.contains("First start: created user admin"));
        List<String> shown = secrets.stream().filter(log::contains)
                .map(secret -> secret.substring(0, 8) + "… (" + secret.length() + " characters)").toList();
        assertEquals("secrets in karaf.log, of " + secrets.size() + " used", List.of(), shown);
    }

    // The fixture

    /** Returns the shared fixture, creating it at the first call in this container. */
    private static synchronized Fixture fixture() throws Exception {
        if (shared == null) {
            awaitHealthy();
            String aggregate = FIXTURE + "-p";
            String member = FIXTURE + "-c";
            String other = FIXTURE + "-o";
            createSystem(fields("slug", member));
            createSystem(fields("slug", aggregate, "kind", "product", "members", List.of(member)));
            createSystem(fields("slug", other));
            Set<String> scope = Set.of(aggregate, member);
            shared = new Fixture(aggregate, member, other,
                    fixtureUser("viewer", "viewer", null, Level.READ, null, Set.of()),
                    fixtureUser("operator", "operator", null, Level.OPERATE, null, Set.of()),
                    fixtureUser("adminuser", "admin", null, Level.ADMINISTER, null, Set.of()),
                    fixtureUser("scoped", "operator", aggregate, null, Level.OPERATE, scope));
        }
        return shared;
    }

    /** Creates a user bound to one role, with a strong password and an API token made by the admin. */
    private static Principal fixtureUser(String label, String role, String system, Level everywhere,
            Level onSystems, Set<String> systems) {
        String name = FIXTURE + "-" + label;
        String password = strongPassword();
        createUser(name, password);
        bind(role, name, system);
        String token = secret(assertStatus(201, post("security/tokens", fields("name", "matrix", "user", name))));
        return new Principal(label, name, password, token, everywhere, onSystems, systems);
    }

    /** Creates a system unless it exists. */
    private static void createSystem(Map<String, Object> system) {
        HttpResponse<String> created = post("systems", system);
        if (created.statusCode() != 409) {
            assertStatus(201, created);
        }
    }

    /** Puts back the fixture's systems that a test deleted, and the member its aggregate lost. */
    private static void restoreSystems(Fixture f) {
        if (get("systems/" + f.member()).statusCode() == 404) {
            assertStatus(201, post("systems", fields("slug", f.member())));
        }
        if (!texts(assertStatus(200, get("systems/" + f.aggregate())).path("members")).contains(f.member())) {
            assertStatus(200, put("systems/" + f.aggregate() + "/members/" + f.member()));
        }
        if (get("systems/" + f.other()).statusCode() == 404) {
            assertStatus(201, post("systems", fields("slug", f.other())));
        }
    }

    private static void createUser(String name, String password) {
        assertStatus(201, post("security/users", newUser(name, password)));
    }

    /** A new plain user; the server insists on being told it is not a service principal. */
    private static Map<String, Object> newUser(String name, String password) {
        return fields("name", name, "service", false, "password", password);
    }

    /** Binds a role to a user on the whole instance, or on a system and its members. */
    /**
     * Creates a user bound on the whole instance to a new role of security:write, security:read,
     * self:manage and shell:login only, and returns a token of it.
     */
    private static String securityManager(String role, String user, String password) {
        assertStatus(201, post("security/roles", fields("name", role, "permissions",
                List.of("security:write", "security:read", "self:manage", "shell:login"))));
        createUser(user, password);
        bind(role, user, null);
        return secret(assertStatus(201, post("security/tokens", fields("name", "manages", "user", user))));
    }

    private static void bind(String role, String user, String system) {
        assertStatus(201, post("security/bindings", fields("role", role, "user", user, "system", system)));
    }

    /** Returns a password Hanse takes: long, varied, free of user names and common words, safe in the shell. */
    private static String strongPassword() {
        String password = "Kq7" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + "Zm";
        SECRETS.add(password);
        return password;
    }

    private static String wrongPassword() {
        String password = "Wr0ng" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        SECRETS.add(password);
        return password;
    }

    /** Returns the secret of a token just created, and remembers it. */
    private static String secret(JsonNode issued) {
        String secret = issued.path("secret").asText();
        assertTrue(issued.toString(), SECRET.matcher(secret).matches());
        SECRETS.add(secret);
        return secret;
    }

    /** Remembers any token secret a command printed. */
    private static void remember(String printed) {
        Matcher secret = SECRET.matcher(printed == null ? "" : printed);
        while (secret.find()) {
            SECRETS.add(secret.group());
        }
    }

    private static Map<String, Level> permissionLevels() {
        Map<String, Level> levels = new HashMap<>();
        for (JsonNode permission : assertStatus(200, get("security/permissions"))) {
            levels.put(permission.path("name").asText(), Level.valueOf(permission.path("level").asText()));
        }
        return levels;
    }

    private static HttpResponse<String> postAs(String token, String path, Object json) {
        return sendAs(token, HttpRequest.newBuilder(apiUri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(json))));
    }

    private static List<String> slugs(JsonNode systems) {
        return texts(systems, "slug");
    }

    private static List<String> ids(JsonNode page) {
        return texts(page.path("events"), "id");
    }

    private static List<String> texts(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(element -> element.path(field).asText()).toList();
    }

    /** Returns the messages of an exception and its causes, one a line. */
    private static String causes(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return String.join("\n", messages);
    }

    private static String abbreviate(String text) {
        String line = String.valueOf(text).strip().replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
