package io.hanse.kernel.store;

import java.time.Instant;

/**
 * An entry of the audit log as stored.
 *
 * @param seq its position in the chain, from 1 without gaps
 * @param time when it was written
 * @param entry what it records
 * @param previousHash the hash of the entry before it; 64 zeros for the first
 * @param hash the SHA-256 of this entry's fields and {@code previousHash}, in hex
 */
public record AuditRecord(long seq, Instant time, AuditEntry entry, String previousHash, String hash) {
}
