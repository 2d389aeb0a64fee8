package io.hanse.monitoring.rest;

import static io.hanse.monitoring.internal.MonitoringPermissions.ACK;
import static io.hanse.monitoring.internal.MonitoringPermissions.CONFIGURE;
import static io.hanse.monitoring.internal.MonitoringPermissions.DOWNTIME;
import static io.hanse.monitoring.internal.MonitoringPermissions.READ;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.system.SystemDraft;
import io.hanse.monitoring.internal.CheckState;
import io.hanse.monitoring.internal.CheckStatus;
import io.hanse.monitoring.internal.Checks;
import io.hanse.monitoring.internal.Downtime;
import io.hanse.monitoring.internal.Downtimes;
import io.hanse.monitoring.internal.Histories;
import io.hanse.monitoring.internal.HistoryEntry;
import io.hanse.monitoring.internal.PeerAcks;
import io.hanse.monitoring.internal.Recurrence;
import io.hanse.monitoring.internal.Views;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.DefaultValue;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Checks, problems, acknowledgements, downtimes, history and the status matrix over REST. */
@Component(service = RestResource.class)
@Path("monitoring")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MonitoringResource implements RestResource {

    private final Checks checks;
    private final Downtimes downtimes;
    private final Histories histories;
    private final Views views;
    private final PeerAcks peerAcks;

    @Activate
    public MonitoringResource(@Reference Checks checks, @Reference Downtimes downtimes, @Reference Histories histories,
            @Reference Views views, @Reference PeerAcks peerAcks) {
        this.checks = checks;
        this.downtimes = downtimes;
        this.histories = histories;
        this.views = views;
        this.peerAcks = peerAcks;
    }

    @GET
    @Path("problems")
    @RequiresPermission(READ)
    public List<CheckDto> problems(@QueryParam("aggregate") String aggregate, @QueryParam("selector") String selector,
            @QueryParam("unhandled") @DefaultValue("false") boolean unhandled, @Context Caller caller) {
        return views.problems(caller, aggregate, selector, unhandled).stream().map(CheckDto::of).toList();
    }

    /** A remote system with a problem, as REST shows it: its checks are watched on its peer. */
    public record RemoteProblemDto(String system, String peer, String status, Instant since, String summary) {
    }

    @GET
    @Path("problems/remote")
    @RequiresPermission(READ)
    public List<RemoteProblemDto> remoteProblems(@QueryParam("aggregate") String aggregate,
            @QueryParam("selector") String selector, @Context Caller caller) {
        return views.remoteProblems(caller, aggregate, selector).stream().map(problem -> new RemoteProblemDto(
                problem.system(), problem.peer(), problem.status().label(), problem.since(), problem.summary()))
                .toList();
    }

    @GET
    @Path("checks/{system}")
    @RequiresPermission(value = READ, system = "system")
    public List<CheckDto> checksOf(@PathParam("system") String system, @Context Caller caller) {
        return views.checks(caller, system).stream().map(CheckDto::of).toList();
    }

    /** A check with its record: first seen, breaks in the last 7 and 30 days, availability. */
    public record CheckRecordDto(CheckDto check, Instant firstSeen, int breaks7d, int breaks30d,
            AvailabilityDto availability30d, boolean chronic) {
    }

    @GET
    @Path("checks/{system}/{check}")
    @RequiresPermission(value = READ, system = "system")
    public CheckRecordDto check(@PathParam("system") String system, @PathParam("check") String check,
            @Context Caller caller) {
        Histories.Record record = histories.record(system, check);
        return new CheckRecordDto(CheckDto.of(views.item(caller, record.state())),
                record.firstSeen(), record.breaks7d(), record.breaks30d(), AvailabilityDto.of(record.availability30d()),
                record.chronic());
    }

    /** The body of an acknowledgement. */
    public record AckInput(String comment, Boolean sticky, Instant expires) {
    }

    /**
     * Acknowledges a check's problem here, or, for a remote system, asks the instance that owns it
     * (202 with the request's id): it does so where its grant to this one names {@code monitoring.ack}.
     */
    @POST
    @Path("checks/{system}/{check}/ack")
    @RequiresPermission(value = ACK, system = "system")
    public Response acknowledge(@PathParam("system") String system, @PathParam("check") String check,
            AckInput input, @Context Caller caller) {
        AckInput ack = Parameters.body(input, "an acknowledgement");
        boolean sticky = Boolean.TRUE.equals(ack.sticky());
        if (SystemDraft.peer(system).isPresent()) {
            return Response.accepted(Map.of("id", peerAcks.ask(caller, system, check, ack.comment(), sticky,
                    ack.expires()))).build();
        }
        CheckState acknowledged = checks.acknowledge(caller, system, check, ack.comment(), sticky, ack.expires());
        return Response.ok(CheckDto.of(views.item(caller, acknowledged))).build();
    }

    @DELETE
    @Path("checks/{system}/{check}/ack")
    @RequiresPermission(value = ACK, system = "system")
    public CheckDto unacknowledge(@PathParam("system") String system, @PathParam("check") String check,
            @Context Caller caller) {
        return CheckDto.of(views.item(caller, checks.unacknowledge(caller, system, check)));
    }

    /** The body of a check's policy. */
    public record PolicyInput(Integer maxAttempts) {
    }

    @PUT
    @Path("checks/{system}/{check}/policy")
    @RequiresPermission(value = CONFIGURE, system = "system")
    public CheckDto policy(@PathParam("system") String system, @PathParam("check") String check, PolicyInput input,
            @Context Caller caller) {
        PolicyInput policy = Parameters.body(input, "a policy");
        if (policy.maxAttempts() == null) {
            throw new InvalidRequestException("maxAttempts is required: 1 to 100, or 0 for what the agent says");
        }
        return CheckDto.of(views.item(caller, checks.setMaxAttempts(caller, system, check, policy.maxAttempts())));
    }

    @DELETE
    @Path("checks/{system}/{check}")
    @RequiresPermission(value = CONFIGURE, system = "system")
    public void remove(@PathParam("system") String system, @PathParam("check") String check, @Context Caller caller) {
        checks.remove(caller, system, check);
    }

    /**
     * A range of time from query parameters: up to {@code to} (default now, with the time a result
     * may be ahead of it: {@link Histories#latest()}), from {@code from} (default 30 days before).
     */
    private record Range(Instant start, Instant end) {
        static Range of(String from, String to, Histories histories) {
            Instant end = to == null ? histories.latest() : Parameters.instant("to", to);
            return new Range(from == null ? end.minus(Duration.ofDays(30)) : Parameters.instant("from", from), end);
        }
    }

    /** One entry of a check's history; {@code by} who made it, for one someone made (see {@link HistoryEntry#by}). */
    public record EntryDto(Instant time, String kind, String status, String from, boolean hard, int attempt,
            String output, String by) {
        static EntryDto of(HistoryEntry entry) {
            return new EntryDto(entry.time(), entry.kind().label(), entry.status().label(), entry.from().label(),
                    entry.hard(), entry.attempt(), entry.output(), entry.by());
        }
    }

    @GET
    @Path("checks/{system}/{check}/history")
    @RequiresPermission(value = READ, system = "system")
    public List<EntryDto> history(@PathParam("system") String system, @PathParam("check") String check,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("" + Histories.DEFAULT_LIMIT) int limit) {
        Range range = Range.of(from, to, histories);
        return histories.history(system, check, range.start(), range.end(), limit).stream().map(EntryDto::of)
                .toList();
    }

    /** Shares of a range in each hard status, in percent. */
    public record AvailabilityDto(Instant from, Instant to, Map<String, Double> percent, int breaks) {
        static AvailabilityDto of(Histories.Availability availability) {
            Map<String, Double> percent = new LinkedHashMap<>();
            for (CheckStatus status : CheckStatus.values()) {
                percent.put(status.label(),
                        Math.round(availability.shares().getOrDefault(status, 0.0) * 10000) / 100.0);
            }
            return new AvailabilityDto(availability.from(), availability.to(), percent, availability.breaks().size());
        }
    }

    @GET
    @Path("checks/{system}/{check}/availability")
    @RequiresPermission(value = READ, system = "system")
    public AvailabilityDto availability(@PathParam("system") String system, @PathParam("check") String check,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        Range range = Range.of(from, to, histories);
        return AvailabilityDto.of(histories.availability(system, check, range.start(), range.end()));
    }

    @GET
    @Path("matrix")
    @RequiresPermission(READ)
    public MatrixDtos.MatrixDto matrix(@QueryParam("aggregate") String aggregate,
            @QueryParam("selector") String selector, @Context Caller caller) {
        return MatrixDtos.MatrixDto.of(views.matrix(caller, aggregate, selector), Instant.now());
    }

    @GET
    @Path("matrix/members")
    @RequiresPermission(READ)
    public MatrixDtos.MembersDto members(@QueryParam("aggregate") String aggregate,
            @QueryParam("selector") String selector, @Context Caller caller) {
        return MatrixDtos.MembersDto.of(views.members(caller, aggregate, selector), Instant.now());
    }

    /**
     * A downtime as REST shows it.
     *
     * @param active whether it is in a window now
     * @param next the window it is in now if it is active, else its next one; {@code null} for none
     */
    public record DowntimeDto(String id, String system, String check, Boolean members, Instant starts, Instant ends,
            String recurrence, String zone, String author, String comment, Instant created, Boolean active,
            WindowDto next) {
        static DowntimeDto of(Downtime d, Instant now) {
            Optional<Recurrence.Window> next = d.nextWindow(now);
            return new DowntimeDto(d.id().toString(), d.system(), d.check(), d.members(), d.starts(), d.ends(),
                    d.recurrence() == null ? null : d.recurrence().spec(),
                    d.recurrence() == null ? null : d.recurrence().zone().getId(), d.author(), d.comment(), d.created(),
                    next.filter(window -> window.contains(now)).isPresent(), next.map(WindowDto::of).orElse(null));
        }
    }

    /** A downtime's window as REST shows it: from {@code starts} until {@code ends}. */
    public record WindowDto(Instant starts, Instant ends) {
        static WindowDto of(Recurrence.Window window) {
            return new WindowDto(window.start(), window.end());
        }
    }

    @GET
    @Path("downtimes")
    @RequiresPermission(READ)
    public List<DowntimeDto> downtimes(@QueryParam("system") String system, @QueryParam("check") String check,
            @Context Caller caller) {
        Instant now = Instant.now();
        return downtimes.list(caller, system, check).stream().map(d -> DowntimeDto.of(d, now)).toList();
    }

    /** The body that schedules a downtime: what is shown of one, but what the server decides. */
    public record DowntimeInput(String system, String check, Boolean members, Instant starts, Instant ends,
            String recurrence, String zone, String comment) {
    }

    @POST
    @Path("downtimes")
    @RequiresPermission(DOWNTIME)
    public Response addDowntime(DowntimeInput input, @Context Caller caller) {
        DowntimeInput draft = Parameters.body(input, "a downtime");
        Downtime added = downtimes.add(caller, new Downtimes.Draft(draft.system(), draft.check(),
                Boolean.TRUE.equals(draft.members()), draft.starts(), draft.ends(), draft.recurrence(), draft.zone(),
                draft.comment()));
        return Response.created(URI.create("monitoring/downtimes/" + added.id()))
                .entity(DowntimeDto.of(added, Instant.now())).build();
    }

    @GET
    @Path("downtimes/{id}")
    @RequiresPermission(READ)
    public DowntimeDto downtime(@PathParam("id") String id, @Context Caller caller) {
        return DowntimeDto.of(downtimes.get(caller, Parameters.id("id", id)), Instant.now());
    }

    @DELETE
    @Path("downtimes/{id}")
    @RequiresPermission(DOWNTIME)
    public void removeDowntime(@PathParam("id") String id, @Context Caller caller) {
        UUID downtime = Parameters.id("id", id);
        downtimes.remove(caller, downtime);
    }
}
