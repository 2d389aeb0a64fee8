package io.hanse.kernel.store;

/**
 * The storage sequence numbers from {@code first} to {@code last}, both included.
 *
 * @param first the lowest number
 * @param last the highest number, not below {@code first}
 */
public record SequenceRange(long first, long last) {

    public SequenceRange {
        if (last < first) {
            throw new IllegalArgumentException("a sequence range from " + first + " to " + last);
        }
    }
}
