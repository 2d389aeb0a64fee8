package io.hanse.agent.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32;

/**
 * One segment file of the spool: records of length (int), CRC-32 of the payload (int) and payload,
 * one after the other. Knows its valid size and record count; the {@link Spool} decides what to
 * do with it.
 */
final class Segment {

    /** The bytes before each payload: its length and checksum. */
    static final int HEADER_BYTES = 8;

    /**
     * What checking a segment found.
     *
     * @param boundary the last record boundary at or before the acknowledged offset
     * @param recordsBefore how many records lie before {@code boundary}
     * @param problem what was wrong with the first damaged record, or {@code null} if none was
     * @param cutBytes how many bytes were cut away from the damaged record on
     * @param cutRecords how many unacknowledged records those bytes held
     */
    record Check(long boundary, long recordsBefore, String problem, long cutBytes, long cutRecords) {
    }

    final long number;
    final Path path;
    /** The bytes of whole, valid records. */
    long size;
    long records;

    Segment(long number, Path path) {
        this.number = number;
        this.path = path;
    }

    /** Returns the file name of segment {@code number}: numbers sort as names do. */
    static String fileName(long number) {
        return String.format("%016d.seg", number);
    }

    /** Returns the record header of {@code payload}. */
    static ByteBuffer record(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                .put(payload).flip();
    }

    /**
     * Checks every record, cuts away the first torn or corrupt one and everything after it, counts
     * the records kept and those cut away, and returns the last record boundary at or before
     * {@code acknowledgedUpTo} with the number of records before it: a cursor that points into a
     * record is moved back to its start, so that the record is sent again rather than lost.
     */
    Check check(long acknowledgedUpTo, Predicate<byte[]> validator) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long fileSize = channel.size();
            long offset = 0;
            long boundary = 0;
            long before = 0;
            String problem = null;
            while (offset < fileSize && problem == null) {
                problem = problem(channel, offset, fileSize, validator);
                if (problem == null) {
                    offset += HEADER_BYTES + readFully(channel, offset, 4).getInt();
                    records++;
                    if (offset <= acknowledgedUpTo) {
                        boundary = offset;
                        before++;
                    }
                }
            }
            long cutRecords = 0;
            if (problem != null) {
                cutRecords = recordsFrom(channel, offset, fileSize, acknowledgedUpTo);
                channel.truncate(offset);
                channel.force(true);
            }
            size = offset;
            return new Check(boundary, before, problem, fileSize - offset, cutRecords);
        }
    }

    /**
     * Adds the records from {@code offset} on to {@code entries}, until there are {@code maxRecords}
     * or the next would add more than {@code maxPayloadBytes} of payload (unless the list is empty);
     * returns whether it read to the end of the segment.
     */
    boolean read(long offset, int maxRecords, long maxPayloadBytes, List<SpoolEntry> entries) throws IOException {
        long bytes = 0;
        long at = offset;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            while (at < size && entries.size() < maxRecords) {
                int length = readFully(channel, at, HEADER_BYTES).getInt();
                if (!entries.isEmpty() && bytes + length > maxPayloadBytes) {
                    break;
                }
                long next = at + HEADER_BYTES + length;
                entries.add(new SpoolEntry(new Position(number, at), new Position(number, next),
                        readFully(channel, at + HEADER_BYTES, length).array()));
                bytes += length;
                at = next;
            }
        }
        return at >= size;
    }

    /**
     * Returns how many records not acknowledged lie from the damaged one at {@code offset} to the end:
     * each of them is an observation lost. They are followed by their lengths for as long as those
     * are possible; a length that is not (cut short, zero as in a tail a crash left zeroed, or damaged
     * itself) ends the count with the rest taken as one record, so the damaged one always counts.
     */
    private static long recordsFrom(FileChannel channel, long offset, long fileSize, long acknowledgedUpTo)
            throws IOException {
        long records = 0;
        long at = offset;
        while (at < fileSize) {
            long length = fileSize - at < HEADER_BYTES ? -1 : readFully(channel, at, 4).getInt();
            long next = at + HEADER_BYTES + length;
            if (length <= 0 || length > Spool.MAX_RECORD_BYTES || next > fileSize) {
                next = fileSize;
            }
            if (next > acknowledgedUpTo) {
                records++;
            }
            at = next;
        }
        return records;
    }

    /** Returns what is wrong with the record at {@code offset}, or {@code null} if it is whole and valid. */
    private static String problem(FileChannel channel, long offset, long fileSize, Predicate<byte[]> validator)
            throws IOException {
        if (fileSize - offset < HEADER_BYTES) {
            return "a record header cut short";
        }
        ByteBuffer header = readFully(channel, offset, HEADER_BYTES);
        int length = header.getInt();
        int checksum = header.getInt();
        if (length < 0 || length > Spool.MAX_RECORD_BYTES) {
            return "an impossible record length (" + length + ")";
        }
        if (fileSize - offset - HEADER_BYTES < length) {
            return "a record cut short";
        }
        byte[] payload = readFully(channel, offset + HEADER_BYTES, length).array();
        CRC32 crc = new CRC32();
        crc.update(payload);
        if ((int) crc.getValue() != checksum) {
            return "a record with a bad checksum";
        }
        return validator.test(payload) ? null : "a record that is not valid JSON of an observation";
    }

    private static ByteBuffer readFully(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("unexpected end of " + channel + " at byte " + (offset + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
