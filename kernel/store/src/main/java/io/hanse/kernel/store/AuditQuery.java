package io.hanse.kernel.store;

import java.time.Instant;

/**
 * Which audit entries to read, newest first. Every given filter must hold.
 *
 * @param actor only entries by this actor name; {@code null} for all
 * @param target only entries about this target, or about targets under it ({@code system/web}
 *     also finds {@code system/web/members}); {@code null} for all
 * @param from only entries written at or after this time; {@code null} for no bound
 * @param until only entries written before this time; {@code null} for no bound
 * @param before only entries older than this sequence number, for paging; {@code 0} for the newest
 * @param limit at most this many, 1 to 1000
 */
public record AuditQuery(String actor, String target, Instant from, Instant until, long before, int limit) {
}
