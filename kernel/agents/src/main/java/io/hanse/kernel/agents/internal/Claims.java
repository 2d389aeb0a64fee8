package io.hanse.kernel.agents.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which bundle's observation handler took each claimed type or namespace, kept in a file across
 * restarts: while that bundle is installed, its types wait for its handler (which is stopped,
 * restarting, or not started yet as the container starts) instead of going to the timeline, where
 * the plugin would never see them. Once the bundle is uninstalled, its claims are forgotten and the
 * timeline takes its types again.
 */
final class Claims {

    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    private final Path file;
    private final Predicate<String> installed;
    /** The bundle's symbolic name, by claim: a type or a namespace such as {@code monitoring.*}. */
    private final Map<String, String> bundles = new ConcurrentHashMap<>();

    /**
     * @param file where the claims are kept; read now, if it exists
     * @param installed whether a bundle of this symbolic name is installed
     */
    Claims(Path file, Predicate<String> installed) {
        this.file = file;
        this.installed = installed;
        if (Files.exists(file)) {
            Properties kept = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                kept.load(in);
                kept.stringPropertyNames().forEach(claim -> bundles.put(claim, kept.getProperty(claim)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Could not read which plugins take which observations from {}; until each plugin's handler"
                        + " is there again, what agents send for it goes on the timeline: {}", file, e.getMessage());
            }
        }
    }

    /**
     * Notes what a bundle's handlers take now: these claims, and no longer any other it had, as a
     * plugin's new version may take fewer types than its old one did.
     */
    synchronized void claim(String bundle, Set<String> claims) {
        Map<String, String> before = Map.copyOf(bundles);
        bundles.values().removeIf(bundle::equals);
        claims.forEach(claim -> bundles.put(claim, bundle));
        if (!bundles.equals(before)) {
            save();
        }
    }

    /**
     * Returns the bundle whose handler is to take a type that no handler takes now, if that bundle
     * is still installed; forgets the claims of a bundle that is not.
     *
     * @param namespace the type's namespace claim, such as {@code monitoring.*}
     */
    Optional<String> awaited(String type, String namespace) {
        for (String claim : new String[] {type, namespace}) {
            String bundle = bundles.get(claim);
            if (bundle != null) {
                if (installed.test(bundle)) {
                    return Optional.of(bundle);
                }
                if (bundles.remove(claim, bundle)) {
                    LOG.info("Observations of {} go on the timeline again: {}, which took them, is uninstalled", claim,
                            bundle);
                    save();
                }
            }
        }
        return Optional.empty();
    }

    private synchronized void save() {
        Properties kept = new Properties();
        kept.putAll(bundles);
        Path written = file.resolveSibling(file.getFileName() + ".new");
        try {
            try (Writer out = Files.newBufferedWriter(written)) {
                kept.store(out, "Which bundle's observation handler takes which types; written by Hanse");
            }
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Could not note in {} which plugins take which observations: after a restart, what agents send"
                    + " before each plugin starts goes on the timeline: {}", file, e.getMessage());
        }
    }
}
