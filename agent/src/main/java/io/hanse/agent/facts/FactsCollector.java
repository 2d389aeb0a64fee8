package io.hanse.agent.facts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hanse.agent.common.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Collects the host's inventory facts, the body of an {@code inventory.facts} observation. Each fact
 * that cannot be found is left out; none is ever fatal.
 */
public final class FactsCollector {

    private static final int MAX_ADDRESSES = 64;

    private final Path root;
    private final String agentVersion;

    /**
     * Creates a collector that reads {@code /etc} and {@code /proc} below {@code root} ({@code /} on
     * a real host) and reports {@code agentVersion}.
     */
    public FactsCollector(Path root, String agentVersion) {
        this.root = root;
        this.agentVersion = agentVersion;
    }

    /** Returns the facts as they are now. */
    public ObjectNode collect() {
        ObjectNode facts = Json.object();
        facts.put("hostname", Host.name());
        osName().ifPresent(os -> facts.put("os", os));
        read("proc/sys/kernel/osrelease").map(String::strip).filter(kernel -> !kernel.isEmpty())
                .ifPresent(kernel -> facts.put("kernel", kernel));
        facts.put("arch", System.getProperty("os.arch"));
        facts.put("cpus", Runtime.getRuntime().availableProcessors());
        memoryBytes().ifPresent(bytes -> facts.put("memoryBytes", bytes));
        List<String> addresses = addresses();
        if (!addresses.isEmpty()) {
            ArrayNode list = facts.putArray("addresses");
            addresses.forEach(list::add);
        }
        uptimeSeconds().ifPresent(seconds -> facts.put("uptimeSeconds", seconds));
        facts.put("agentVersion", agentVersion);
        return facts;
    }

    /** {@code PRETTY_NAME} from os-release, unquoted. */
    Optional<String> osName() {
        return read("etc/os-release").flatMap(text -> text.lines()
                .filter(line -> line.startsWith("PRETTY_NAME="))
                .map(line -> line.substring("PRETTY_NAME=".length()).strip())
                .map(value -> value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))
                        && value.endsWith(value.substring(0, 1)) ? value.substring(1, value.length() - 1) : value)
                .filter(value -> !value.isEmpty())
                .findFirst());
    }

    /** {@code MemTotal} from meminfo, which counts in KiB. */
    Optional<Long> memoryBytes() {
        return read("proc/meminfo").flatMap(text -> text.lines()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> line.substring("MemTotal:".length()).replace("kB", "").strip())
                .flatMap(value -> parseLong(value).stream())
                .map(kib -> kib * 1024)
                .findFirst());
    }

    /** The first number in uptime: seconds since boot. */
    Optional<Long> uptimeSeconds() {
        return read("proc/uptime").flatMap(text -> {
            String[] fields = text.strip().split("\\s+");
            int dot = fields[0].indexOf('.');
            return parseLong(dot < 0 ? fields[0] : fields[0].substring(0, dot));
        });
    }

    private static List<String> addresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (network.isLoopback() || !network.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    String text = address.getHostAddress();
                    int scope = text.indexOf('%');
                    if (addresses.size() < MAX_ADDRESSES && !address.isLoopbackAddress()) {
                        addresses.add(scope < 0 ? text : text.substring(0, scope));
                    }
                }
            }
        } catch (SocketException e) {
            // No interfaces to list: the fact is left out.
        }
        return addresses;
    }

    private Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(root.resolve(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
