package io.hanse.agent.config;

import io.hanse.agent.config.ConfigFile.Entry;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a configuration file's entries into an {@link AgentConfig}, collecting every problem on the way. */
final class ConfigReader {

    private static final Set<String> PLAIN_KEYS = Set.of("server", "server.insecure", "state.dir", "spool.max.bytes",
            "batch.max", "facts.interval", "facts.system");
    /** The most failing results in a row a check may ask for before its problem is hard. */
    static final int MAX_ATTEMPTS = 100;
    /** The longest interval of a check: the server refuses results that say a longer one. */
    static final Duration MAX_INTERVAL = Duration.ofDays(7);
    private static final Pattern CHECK_KEY =
            Pattern.compile("check\\.(.+)\\.(command|interval|timeout|system|max-attempts)");
    private static final Pattern WORK_KEY = Pattern.compile("work\\.(.+)\\.(command|concurrency|timeout)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    /** A work type as the server takes it: it refuses every heartbeat and claim that names another. */
    private static final Pattern WORK_TYPE = Pattern.compile("(?=.{3,100}$)[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    /** One word of a system's slug as the server takes it. */
    private static final String SLUG = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    /** A system as the server names it, a slug or a remote system's peer/slug: it refuses observations on another. */
    private static final Pattern SYSTEM = Pattern.compile("(?:" + SLUG + "/)?" + SLUG);
    private static final Pattern LINE = Pattern.compile("line (\\d+):");
    /** An address in 127.0.0.0/8, written as four decimal numbers (no shorter or octal forms). */
    private static final Pattern LOOPBACK_IPV4 =
            Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final long MIN_SPOOL_BYTES = 1024 * 1024;
    private static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_WORK_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_WORK_CONCURRENCY = 64;

    private final Map<String, Entry> entries;
    private final List<String> problems;
    private final List<String> warnings = new ArrayList<>();

    private ConfigReader(Map<String, Entry> entries, List<String> problems) {
        this.entries = entries;
        this.problems = problems;
    }

    static AgentConfig read(String file, List<String> lines) {
        List<String> problems = new ArrayList<>();
        ConfigReader reader = new ConfigReader(ConfigFile.parse(lines, problems), problems);
        AgentConfig config = reader.config();
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(ConfigReader::lineOf));
            throw new InvalidConfigException(file, problems);
        }
        return config;
    }

    private AgentConfig config() {
        Set<String> checkNames = new LinkedHashSet<>();
        Set<String> workTypes = new LinkedHashSet<>();
        for (Entry entry : entries.values()) {
            Matcher check = CHECK_KEY.matcher(entry.key());
            Matcher work = WORK_KEY.matcher(entry.key());
            if (check.matches()) {
                named(entry, check.group(1), NAME, checkNames, "the check name \"%s\" must be 1 to 64 letters,"
                        + " digits, '.', '_' or '-'");
            } else if (work.matches()) {
                named(entry, work.group(1), WORK_TYPE, workTypes, "the work type \"%s\" must be 3 to 100 characters:"
                        + " two or more lower-case words of letters, digits and '-', each starting with a letter,"
                        + " joined by '.', such as probe.http");
            } else if (!PLAIN_KEYS.contains(entry.key())) {
                problem(entry, "unknown key");
            }
        }
        URI server = server(flag("server.insecure"));
        Path stateDir = absolutePath("state.dir", "/var/lib/hanse-agent");
        long spoolMaxBytes = number("spool.max.bytes", 64L * 1024 * 1024, MIN_SPOOL_BYTES, Long.MAX_VALUE);
        int batchMax = (int) number("batch.max", 100, 1, 1000);
        Duration factsInterval = duration("facts.interval").orElse(Duration.ofHours(1));
        String factsSystem = system("facts.system").orElse(null);
        List<CheckSpec> checks = new ArrayList<>();
        for (String name : checkNames) {
            check(name).ifPresent(checks::add);
        }
        List<WorkSpec> work = new ArrayList<>();
        for (String type : workTypes) {
            work(type).ifPresent(work::add);
        }
        warnings.sort(Comparator.comparingInt(ConfigReader::lineOf));
        return new AgentConfig(server, stateDir, spoolMaxBytes, batchMax, factsInterval, factsSystem, checks, work,
                warnings);
    }

    private void named(Entry entry, String name, Pattern valid, Set<String> names, String rule) {
        if (valid.matcher(name).matches()) {
            names.add(name);
        } else {
            problem(entry, String.format(rule, name));
        }
    }

    private Optional<CheckSpec> check(String name) {
        String prefix = "check." + name + ".";
        Optional<List<String>> command = command(prefix + "command");
        // A plugin not installed yet is no reason to run no check: this one reports UNKNOWN until it can run.
        command.flatMap(CommandLine::unrunnable).ifPresent(why -> warnings.add(
                located(entries.get(prefix + "command"), why + "; the check reports UNKNOWN until it can run")));
        Optional<Duration> interval = duration(prefix + "interval");
        Optional<Duration> timeout = duration(prefix + "timeout");
        Optional<String> system = system(prefix + "system");
        int maxAttempts = (int) number(prefix + "max-attempts", 0, 1, MAX_ATTEMPTS);
        if (!entries.containsKey(prefix + "interval")) {
            missing(prefix + "interval", "how often the check runs, such as 60s");
        }
        if (!entries.containsKey(prefix + "system")) {
            missing(prefix + "system", "the system the check's results are about");
        }
        if (interval.isEmpty()) {
            return Optional.empty();
        }
        // Every problem of the check is named, whichever others it has: validate-config names them all at once.
        boolean valid = command.isPresent() && system.isPresent();
        if (interval.get().compareTo(MAX_INTERVAL) > 0) {
            problem(entries.get(prefix + "interval"), "at most " + MAX_INTERVAL.toDays()
                    + " days: the server takes no check that runs less often");
            valid = false;
        }
        Duration killAfter = timeout
                .orElse(DEFAULT_CHECK_TIMEOUT.compareTo(interval.get()) < 0 ? DEFAULT_CHECK_TIMEOUT : interval.get());
        if (killAfter.compareTo(interval.get()) > 0) {
            problem(entries.get(prefix + "timeout"), "the timeout is longer than the interval ("
                    + Durations.format(interval.get()) + ")");
            valid = false;
        }
        return valid ? Optional.of(new CheckSpec(name, command.get(), interval.get(), killAfter, system.get(),
                maxAttempts)) : Optional.empty();
    }

    private Optional<WorkSpec> work(String type) {
        String prefix = "work." + type + ".";
        Optional<List<String>> command = command(prefix + "command");
        // Unlike a check's, a handler's failures reach no check state: it would take items only to fail them.
        Optional<String> unrunnable = command.flatMap(CommandLine::unrunnable);
        unrunnable.ifPresent(why -> problem(entries.get(prefix + "command"), why));
        int concurrency = (int) number(prefix + "concurrency", 1, 1, MAX_WORK_CONCURRENCY);
        Duration timeout = duration(prefix + "timeout").orElse(DEFAULT_WORK_TIMEOUT);
        return unrunnable.isPresent() ? Optional.empty()
                : command.map(arguments -> new WorkSpec(type, arguments, concurrency, timeout));
    }

    private URI server(boolean insecure) {
        Entry entry = entries.get("server");
        if (entry == null) {
            missing("server", "the Hanse instance's URL, such as http://127.0.0.1:8181");
            return null;
        }
        try {
            URI uri = new URI(entry.value());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                problem(entry, "\"" + entry.value() + "\" is not an http:// or https:// URL");
            } else if (uri.getHost() == null) {
                problem(entry, "\"" + entry.value() + "\" names no host");
            } else if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem(entry, "the URL must not carry credentials, a query or a fragment");
            } else if ("http".equals(uri.getScheme()) && !insecure && !loopback(uri.getHost())) {
                // Enrollment is not signed and no answer is: over plain HTTP, anyone in between could enroll a key
                // of their own, or answer 200 to observations so that the agent drops them from its spool.
                problem(entry, "plain http:// to a host other than this one is not protected: anyone on the network"
                        + " in between could take over the enrollment or make the agent drop observations the server"
                        + " never took; use https://, or set server.insecure = true if that network is trusted");
            } else {
                return uri;
            }
        } catch (URISyntaxException e) {
            problem(entry, "\"" + entry.value() + "\" is not a URL: " + e.getReason());
        }
        return null;
    }

    /**
     * Returns whether {@code host}, as a URI has it, is this host: localhost or a loopback address, never looked up.
     */
    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost") || LOOPBACK_IPV4.matcher(host).matches()) {
            return true;
        }
        try {
            // A bracketed IPv6 literal, which the URI has checked already, is parsed, not resolved.
            return host.startsWith("[") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Returns whether a key is set to {@code true}; any value but {@code true} or {@code false} is a problem. */
    private boolean flag(String key) {
        Entry entry = entries.get(key);
        if (entry != null && !entry.value().equals("true") && !entry.value().equals("false")) {
            problem(entry, "\"" + entry.value() + "\" is neither true nor false");
        }
        return entry != null && entry.value().equals("true");
    }

    private Path absolutePath(String key, String fallback) {
        Entry entry = entries.get(key);
        String value = entry == null ? fallback : entry.value();
        try {
            Path path = Path.of(value);
            if (path.isAbsolute()) {
                return path.normalize();
            }
            problem(entry, "\"" + value + "\" is not an absolute path");
        } catch (InvalidPathException e) {
            problem(entry, "\"" + value + "\" is not a path: " + e.getReason());
        }
        return null;
    }

    private Optional<List<String>> command(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            missing(key, "the absolute path of the program to run, and its arguments");
            return Optional.empty();
        }
        List<String> arguments;
        try {
            arguments = CommandLine.split(entry.value());
        } catch (IllegalArgumentException e) {
            problem(entry, e.getMessage());
            return Optional.empty();
        }
        if (arguments.isEmpty()) {
            problem(entry, "empty: name the absolute path of the program to run");
            return Optional.empty();
        }
        String program = arguments.get(0);
        Path path;
        try {
            path = Path.of(program);
        } catch (InvalidPathException e) {
            problem(entry, "\"" + program + "\" is not a path: " + e.getReason());
            return Optional.empty();
        }
        if (!path.isAbsolute()) {
            problem(entry, "\"" + program + "\" is not an absolute path (the agent searches no PATH)");
            return Optional.empty();
        }
        return Optional.of(arguments);
    }

    private Optional<Duration> duration(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        Optional<Duration> duration = Durations.parse(entry.value());
        if (duration.isEmpty()) {
            problem(entry, "\"" + entry.value() + "\" is not a duration (use 30s, 5m, 1h, 1d or plain seconds)");
        } else if (duration.get().compareTo(Duration.ofSeconds(1)) < 0) {
            problem(entry, "must be at least 1 second");
            return Optional.empty();
        }
        return duration;
    }

    private long number(String key, long fallback, long min, long max) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(entry.value());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        problem(entry, "\"" + entry.value() + "\" is not a whole number from " + min
                + (max == Long.MAX_VALUE ? " on" : " to " + max));
        return fallback;
    }

    private Optional<String> system(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (!SYSTEM.matcher(entry.value()).matches()) {
            problem(entry, "the system \"" + entry.value() + "\" must be a slug of 1 to 63 lower-case letters, digits"
                    + " and dashes, starting and ending with a letter or digit (a remote system's is peer/slug)");
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /** The line a problem names, or past every line for a missing key: problems are reported in file order. */
    private static int lineOf(String problem) {
        Matcher line = LINE.matcher(problem);
        return line.lookingAt() ? Integer.parseInt(line.group(1)) : Integer.MAX_VALUE;
    }

    private void missing(String key, String what) {
        problems.add(key + ": missing: " + what);
    }

    private void problem(Entry entry, String message) {
        problems.add(located(entry, message));
    }

    /** Returns {@code message} with the line and key of {@code entry} before it, if there is an entry. */
    private static String located(Entry entry, String message) {
        return entry == null ? message : "line " + entry.line() + ": " + entry.key() + ": " + message;
    }
}
