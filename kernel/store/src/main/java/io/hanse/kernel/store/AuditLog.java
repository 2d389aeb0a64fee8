package io.hanse.kernel.store;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hash-chained audit log. Entries are written by the stores, in the transaction of the change
 * they record; this service reads and verifies them, and writes entries about changes that are
 * not in the database.
 */
@ProviderType
public interface AuditLog {

    /** Writes one entry in a transaction of its own, for a change that is not in the database. */
    AuditRecord append(AuditEntry entry);

    /** Returns entries, newest first. */
    List<AuditRecord> query(AuditQuery query);

    /** Recomputes the chain and reports the first entry that does not fit it. */
    AuditVerification verify();
}
