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

    /** What checking a segment found. */
    record Check(long boundary, long recordsBefore, String problem, long cutBytes) {
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
     * the records, and returns the last record boundary at or before {@code acknowledgedUpTo} with
     * the number of records before it: a cursor that points into a record is moved back to its
     * start, so that the record is sent again rather than lost.
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
            if (problem != null) {
                channel.truncate(offset);
                channel.force(true);
            }
            size = offset;
            return new Check(boundary, before, problem, fileSize - offset);
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
