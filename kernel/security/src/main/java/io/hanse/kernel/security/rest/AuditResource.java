package io.hanse.kernel.security.rest;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditQuery;
import io.hanse.kernel.store.AuditRecord;
import io.hanse.kernel.store.AuditVerification;
import java.time.Instant;
import java.util.List;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /api/v1/audit}: who changed what, newest first, and whether the hash chain is intact. */
@Component(service = RestResource.class)
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public final class AuditResource implements RestResource {

    private final AuditLog audit;

    @Activate
    public AuditResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    /** An audit entry as clients read it; {@code before} and {@code after} are JSON summaries. */
    record EntryDto(long seq, Instant time, String actorKind, String actor, String action, String target,
            String before, String after, String hash) {

        static EntryDto of(AuditRecord record) {
            return new EntryDto(record.seq(), record.time(), record.entry().actor().kind().name().toLowerCase(),
                    record.entry().actor().name(), record.entry().action(), record.entry().target(),
                    record.entry().before(), record.entry().after(), record.hash());
        }
    }

    /** One page, and the {@code before} to ask for the next. */
    record EntryPageDto(List<EntryDto> entries, Long next) {
    }

    /** Lists entries newest first, by actor, target (and what lies under it) and time. */
    @GET
    @RequiresPermission(value = AUDIT_READ, everywhere = true)
    public EntryPageDto listEntries(@QueryParam("actor") String actor, @QueryParam("target") String target,
            @QueryParam("from") String from, @QueryParam("until") String until,
            @QueryParam("before") @DefaultValue("0") long before,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        List<AuditRecord> records = audit.query(new AuditQuery(actor, target, Parameters.instant("from", from),
                Parameters.instant("until", until), before, limit));
        Long next = records.size() == limit ? records.get(records.size() - 1).seq() : null;
        return new EntryPageDto(records.stream().map(EntryDto::of).toList(), next);
    }

    /** Recomputes the chain; {@code intact} false names the first entry that does not fit. */
    @GET
    @Path("verify")
    @RequiresPermission(value = AUDIT_READ, everywhere = true)
    public AuditVerification verifyChain() {
        return audit.verify();
    }
}
