package io.hanse.agent.spool;

import java.util.Comparator;

/**
 * A place in the spool: a segment's number and a byte offset in it.
 *
 * @param segment the segment's number; segments are numbered upwards as they are created
 * @param offset the byte offset in the segment
 */
public record Position(long segment, long offset) implements Comparable<Position> {

    private static final Comparator<Position> ORDER = Comparator.comparingLong(Position::segment)
            .thenComparingLong(Position::offset);

    @Override
    public int compareTo(Position other) {
        return ORDER.compare(this, other);
    }
}
