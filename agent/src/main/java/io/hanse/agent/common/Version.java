package io.hanse.agent.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The agent's own version, as the build wrote it into {@code version.properties}. */
public final class Version {

    private Version() {
    }

    /** Returns the version, such as {@code 0.1.0}. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/io/hanse/agent/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the agent's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's version", e);
        }
    }
}
