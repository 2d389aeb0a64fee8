package io.hanse.agent.spool;

import io.hanse.agent.common.Log;
import io.hanse.agent.common.StateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Boot epochs, the middle of an observation's identity (agent, bootEpoch, seq): milliseconds since
 * 1970 like the start they stand for, but strictly increasing per state directory. By the clock
 * alone, two {@code check-now} runs in one millisecond, or a host whose clock comes back at the
 * same time after every boot, would share an epoch; the server would count the later observations
 * as duplicates of the earlier, and the agent would drop them as delivered. The last epoch is kept
 * in {@link #FILE}, replaced atomically while a lock on {@code boot-epoch.lock} keeps other
 * processes (a daemon and a {@code check-now}) from taking the same one.
 */
public final class BootEpoch {

    /** The file in the state directory that holds the last epoch handed out. */
    public static final String FILE = "boot-epoch";
    private static final String LOCK_FILE = "boot-epoch.lock";

    private BootEpoch() {
    }

    /**
     * Returns a boot epoch later than any handed out before in {@code stateDir}: the clock's
     * millisecond, or one more than the last epoch if the clock is not past it.
     *
     * @throws UncheckedIOException if the state directory cannot be written
     */
    public static synchronized long next(Path stateDir, Clock clock) {
        // Synchronized as well: a second lock on the same file within one JVM throws instead of waiting.
        try (FileChannel channel = FileChannel.open(stateDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            long epoch = Math.max(clock.millis(), last(stateDir) + 1);
            StateFiles.writeAtomically(stateDir.resolve(FILE), (epoch + "\n").getBytes(StandardCharsets.US_ASCII),
                    false);
            return epoch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take a boot epoch in " + stateDir + ": " + e.getMessage(), e);
        }
    }

    private static long last(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            Log.warn(file + " is damaged (" + e.getMessage() + "); the boot epoch comes from the clock alone");
            return 0;
        }
    }
}
