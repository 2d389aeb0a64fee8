package io.hanse.kernel.core.internal;

import io.hanse.api.instance.Instance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance this Karaf ran at its last start, kept in {@code data/hanse-instance}. Another one at
 * this start, with its own users, systems, agents and peers, is what a start without the database
 * settings of before looks like (Hanse then starts on its embedded database, as a new instance or
 * the one it ran there before): it is warned of, once, naming both.
 */
final class LastInstance {

    static final String FILE = "hanse-instance";
    private static final Logger LOG = LoggerFactory.getLogger(LastInstance.class);

    private LastInstance() {
    }

    /**
     * Compares the instance with the one the file names, warns if it is another, and keeps this one.
     *
     * @return whether it is another instance than at the last start
     */
    static boolean check(Path file, Instance now) {
        String line = now.id() + " " + now.name();
        String before;
        try {
            before = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            before = null;
        } catch (IOException e) {
            LOG.warn("Could not read which instance ran here before from {}: {}", file, e.toString());
            return false;
        }
        boolean another = before != null && !before.startsWith(now.id() + " ");
        if (another) {
            LOG.warn("This is instance {} ('{}'), but instance {} ran here at the last start: a different instance,"
                    + " with its own users, systems, agents and peers. If that is not meant, stop Hanse and start it"
                    + " with the database of before (etc/io.hanse.database.cfg, or HANSE_DATABASE_URL and its user"
                    + " and password)", now.id(), now.name(), before);
        }
        if (!line.equals(before)) {
            try {
                // Whole or not at all: a file cut short by a crash would name another instance at the next start.
                Path next = file.resolveSibling(file.getFileName() + ".next");
                Files.writeString(next, line + "\n", StandardCharsets.UTF_8);
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                LOG.warn("Could not note which instance runs here in {}: {}", file, e.toString());
            }
        }
        return another;
    }
}
