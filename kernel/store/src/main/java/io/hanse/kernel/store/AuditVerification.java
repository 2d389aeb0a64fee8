package io.hanse.kernel.store;

/**
 * The outcome of checking the audit log's hash chain from its first entry to its last.
 *
 * @param intact whether every entry is as written and none is missing
 * @param checked how many entries were checked
 * @param firstBroken the sequence number of the first entry that does not fit the chain; 0 when intact
 * @param problem what is wrong with it, in words; {@code null} when intact
 */
public record AuditVerification(boolean intact, long checked, long firstBroken, String problem) {
}
