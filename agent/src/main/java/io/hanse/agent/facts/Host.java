package io.hanse.agent.facts;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's name, as the agent announces it in enrollment, heartbeats and facts. */
public final class Host {

    private Host() {
    }

    /** Returns the kernel's host name, else what the resolver says, else {@code localhost}. */
    public static String name() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // Not Linux, or no /proc: ask the resolver instead.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
