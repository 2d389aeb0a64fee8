package io.hanse.agent.spool;

import io.hanse.agent.common.Log;
import io.hanse.agent.common.StateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A durable first-in-first-out queue of byte records in a directory of segment files. Each record is
 * its length (int), the CRC-32 of its payload (int) and the payload; {@link #append} returns only once
 * the record is forced to disk. A cursor file, replaced atomically after each acknowledgement, holds
 * where the first unacknowledged record starts; segments wholly before it are deleted.
 *
 * <p>Opening the spool checks every record: a torn or corrupt one (cut short, bad checksum, a payload
 * the validator refuses) and everything after it in its segment are cut away, and the unacknowledged
 * records among them counted as torn, so that a crash in the middle of a write never loses an
 * earlier record nor delivers one twice. When the spool
 * would grow past its limit, its oldest segment is dropped and its records counted, and so are the
 * records that could not be written. One process at a time holds the spool, by a lock on its lock file.
 */
public final class Spool implements Closeable {

    /** The largest payload a record may have. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{16})\\.seg");
    private static final String CURSOR_FILE = "cursor";
    private static final String LOCK_FILE = "lock";
    /** Observations may say more about the host than the world should read. */
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final FileChannel lockChannel;
    private FileChannel writer;
    private Segment active;
    /** Where the first unacknowledged record starts; always in the first segment. */
    private Position cursor;
    /** How many records of the first segment lie before the cursor. */
    private long ackedInHead;
    private long dropped;
    /**
     * Where the records counted as dropped start that a reader may have read before their segment was
     * dropped, and so may still acknowledge; they end at the cursor, which only drops moved since.
     * {@code null} while no such records are counted.
     */
    private Position droppedFrom;
    private long torn;
    private long unwritten;

    private Spool(Path directory, long maxBytes, long segmentBytes, FileChannel lockChannel) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
    }

    /**
     * Opens the spool in {@code directory}, creating it if needed, checking every record and cutting
     * away torn ones.
     *
     * @param maxBytes how large the segment files may grow together
     * @param segmentBytes how large one segment grows before the next is started; at most a quarter of {@code maxBytes}
     * @param validator tells whether a checksummed payload is a record the reader understands
     * @throws IllegalStateException if another process holds the spool
     */
    public static Spool open(Path directory, long maxBytes, long segmentBytes, Predicate<byte[]> validator) {
        if (segmentBytes < 1 || segmentBytes > maxBytes / 4) {
            throw new IllegalArgumentException("a segment must be at most a quarter of the spool");
        }
        StateFiles.createPrivateDirectory(directory);
        FileChannel lock = lock(directory);
        Spool spool = new Spool(directory, maxBytes, segmentBytes, lock);
        try {
            spool.recover(validator);
            return spool;
        } catch (RuntimeException e) {
            spool.close();
            throw e;
        }
    }

    /** Returns the segment size that suits a spool of {@code maxBytes}: a sixteenth of it, from 64 KiB to 4 MiB. */
    public static long segmentBytesFor(long maxBytes) {
        return Math.max(64 * 1024, Math.min(4 * 1024 * 1024, maxBytes / 16));
    }

    /**
     * Appends a record and forces it to disk; when the spool is full, drops its oldest segment first.
     * A record that cannot be written (a full disk, an I/O error) is counted as unwritten: the caller
     * has nowhere else to keep it, so it is lost like a dropped one.
     *
     * @throws IllegalArgumentException if the payload is larger than {@link #MAX_RECORD_BYTES}
     * @throws UncheckedIOException if the record cannot be written
     */
    public synchronized void append(byte[] payload) {
        if (payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + payload.length + " bytes is larger than "
                    + MAX_RECORD_BYTES);
        }
        try {
            write(payload);
        } catch (UncheckedIOException e) {
            unwritten++;
            throw e;
        }
    }

    private void write(byte[] payload) {
        long recordBytes = Segment.HEADER_BYTES + payload.length;
        if (active.size > 0 && active.size + recordBytes > segmentBytes) {
            startSegment(active.number + 1);
        }
        while (totalBytes() + recordBytes > maxBytes && segments.size() > 1) {
            dropHead();
        }
        ByteBuffer record = Segment.record(payload);
        try {
            while (record.hasRemaining()) {
                writer.write(record);
            }
            writer.force(true);
        } catch (IOException e) {
            cutBack(e);
            throw new UncheckedIOException("cannot write to the spool in " + directory + ": " + e.getMessage(), e);
        }
        active.size += recordBytes;
        active.records++;
        notifyAll();
    }

    /**
     * Cuts a half-written record off the segment, so that the records appended after it (once the
     * disk has room again) are not lost behind it when the spool is next opened.
     */
    private void cutBack(IOException failure) {
        try {
            writer.truncate(active.size);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Returns the oldest unacknowledged records, in order: at most {@code maxRecords}, and no more
     * payload bytes than {@code maxPayloadBytes} unless that would leave the list empty. Waits up to
     * {@code waitMillis} for a record if there is none.
     */
    public synchronized List<SpoolEntry> read(int maxRecords, long maxPayloadBytes, long waitMillis)
            throws InterruptedException {
        if (pendingRecords() == 0 && waitMillis > 0) {
            wait(waitMillis);
        }
        List<SpoolEntry> entries = new ArrayList<>();
        for (Segment segment : segments.values()) {
            long offset = segment.number == cursor.segment() ? cursor.offset() : 0;
            long used = entries.stream().mapToLong(entry -> entry.payload().length).sum();
            try {
                if (!segment.read(offset, maxRecords, maxPayloadBytes - used, entries)) {
                    break;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the spool in " + directory + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    /**
     * Marks records as taken by the server: moves the cursor past them (durably) and deletes segments
     * left wholly behind. Records dropped in the meantime because the spool was full are no longer
     * there; as the server took them, they no longer count as dropped.
     */
    public synchronized void acknowledge(List<SpoolEntry> entries) {
        boolean moved = false;
        for (SpoolEntry entry : entries) {
            if (entry.at().compareTo(cursor) < 0) {
                if (droppedFrom != null && entry.at().compareTo(droppedFrom) >= 0) {
                    dropped--;
                    droppedFrom = entry.next();
                }
                continue;
            }
            droppedFrom = null;
            while (segments.firstKey() < entry.at().segment()) {
                deleteSegment(segments.firstEntry().getValue());
                ackedInHead = 0;
            }
            ackedInHead++;
            cursor = entry.next();
            moved = true;
        }
        if (moved) {
            deleteConsumedSegments();
            writeCursor();
        }
    }

    /** Returns how full the spool is and what it lost since it was opened. */
    public synchronized SpoolStats stats() {
        long bytes = totalBytes() - cursor.offset();
        return new SpoolStats(pendingRecords(), bytes, dropped, torn, unwritten);
    }

    /** Forces everything to disk and releases the spool for another process. */
    @Override
    public synchronized void close() {
        try {
            if (writer != null && writer.isOpen()) {
                writer.force(true);
                writer.close();
            }
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the spool in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static FileChannel lock(Path directory) {
        try {
            FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE),
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PRIVATE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another agent process is using the spool in " + directory);
            }
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the spool in " + directory + ": " + e.getMessage(), e);
        }
    }

    private void recover(Predicate<byte[]> validator) {
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(file -> {
                Matcher name = SEGMENT_NAME.matcher(file.getFileName().toString());
                if (name.matches()) {
                    long number = Long.parseLong(name.group(1));
                    segments.put(number, new Segment(number, file));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the spool in " + directory + ": " + e.getMessage(), e);
        }
        Position saved = readCursor();
        long next = Math.max(saved.segment(), segments.isEmpty() ? 0 : segments.lastKey()) + 1;
        for (Segment segment : List.copyOf(segments.values())) {
            if (segment.number < saved.segment()) {
                deleteSegment(segment);
            }
        }
        cursor = new Position(segments.isEmpty() ? next : segments.firstKey(), 0);
        ackedInHead = 0;
        for (Segment segment : segments.values()) {
            boolean head = segment.number == saved.segment();
            Segment.Check check = check(segment, head ? saved.offset() : 0, validator);
            if (head) {
                cursor = new Position(segment.number, check.boundary());
                ackedInHead = check.recordsBefore();
            }
        }
        startSegment(next);
        deleteConsumedSegments();
        writeCursor();
    }

    /** Checks a segment's records, counting and logging the records of a torn tail it cut away. */
    private Segment.Check check(Segment segment, long acknowledgedUpTo, Predicate<byte[]> validator) {
        try {
            Segment.Check check = segment.check(acknowledgedUpTo, validator);
            if (check.problem() != null) {
                torn += check.cutRecords();
                Log.warn("spool: " + segment.path.getFileName() + " has " + check.problem() + " at byte "
                        + segment.size + "; cut " + check.cutBytes() + " bytes away, " + check.cutRecords()
                        + " unsent observations with them");
            }
            return check;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + segment.path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the next segment and writes there from now on. If it cannot be started, nothing changes:
     * the segment being written stays open, and the next record tries again.
     */
    private void startSegment(long number) {
        Path path = directory.resolve(Segment.fileName(number));
        FileChannel next;
        try {
            next = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), PRIVATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a spool segment in " + directory + ": " + e.getMessage(), e);
        }
        try {
            StateFiles.syncDirectory(directory);
        } catch (UncheckedIOException e) {
            close(next);
            try {
                Files.deleteIfExists(path);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        if (writer != null) {
            close(writer);
        }
        writer = next;
        active = new Segment(number, path);
        segments.put(number, active);
    }

    /** Closes a segment's channel; what it wrote is forced to disk already, record by record. */
    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            Log.warn("spool: could not close a segment: " + e.getMessage());
        }
    }

    /** Deletes leading segments the cursor has left behind (and empty ones), never the one being written. */
    private void deleteConsumedSegments() {
        for (Segment head = segments.firstEntry().getValue(); head != active; head = segments.firstEntry().getValue()) {
            if (cursor.offset() < head.size) {
                return;
            }
            deleteSegment(head);
            cursor = new Position(segments.firstKey(), 0);
            ackedInHead = 0;
        }
    }

    private void dropHead() {
        Segment head = segments.firstEntry().getValue();
        long lost = head.records - ackedInHead;
        dropped += lost;
        if (droppedFrom == null) {
            droppedFrom = cursor;
        }
        Log.warn("spool full (" + maxBytes + " bytes): dropped the " + lost + " oldest unsent observations");
        deleteSegment(head);
        cursor = new Position(segments.firstKey(), 0);
        ackedInHead = 0;
        writeCursor();
    }

    private void deleteSegment(Segment segment) {
        try {
            Files.deleteIfExists(segment.path);
            segments.remove(segment.number);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + segment.path + ": " + e.getMessage(), e);
        }
    }

    private Position readCursor() {
        Path file = directory.resolve(CURSOR_FILE);
        try {
            String[] fields = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            return new Position(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (NoSuchFileException e) {
            return new Position(0, 0);
        } catch (IOException | RuntimeException e) {
            Log.warn("spool: the cursor file is damaged (" + e.getMessage() + "); every spooled observation is sent "
                    + "again and the server drops those it has");
            return new Position(0, 0);
        }
    }

    private void writeCursor() {
        String text = cursor.segment() + " " + cursor.offset() + "\n";
        StateFiles.writeAtomically(directory.resolve(CURSOR_FILE), text.getBytes(StandardCharsets.US_ASCII), true);
    }

    private long pendingRecords() {
        long records = 0;
        for (Segment segment : segments.values()) {
            records += segment.records;
        }
        return records - ackedInHead;
    }

    private long totalBytes() {
        long bytes = 0;
        for (Segment segment : segments.values()) {
            bytes += segment.size;
        }
        return bytes;
    }
}
