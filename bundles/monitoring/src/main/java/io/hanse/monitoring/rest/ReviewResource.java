package io.hanse.monitoring.rest;

import static io.hanse.monitoring.internal.MonitoringPermissions.READ;
import static io.hanse.monitoring.internal.MonitoringPermissions.REVIEW;

import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.monitoring.internal.Review;
import io.hanse.monitoring.internal.Reviews;
import io.hanse.monitoring.rest.ReviewDtos.ItemDto;
import io.hanse.monitoring.rest.ReviewDtos.PassDto;
import io.hanse.monitoring.rest.ReviewDtos.PassPageDto;
import io.hanse.monitoring.rest.ReviewDtos.ReviewDto;
import java.net.URI;
import java.util.List;
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

/**
 * The review workflow over REST: define, start, mark, close, reschedule, remove, see what is due,
 * and look back at the passes before.
 */
@Component(service = RestResource.class)
@Path("monitoring/reviews")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ReviewResource implements RestResource {

    private final Reviews reviews;

    @Activate
    public ReviewResource(@Reference Reviews reviews) {
        this.reviews = reviews;
    }

    @GET
    @RequiresPermission(READ)
    public List<ReviewDto> list(@Context Caller caller) {
        return reviews.list(caller).stream().map(ReviewDto::of).toList();
    }

    /**
     * The body that defines a review: due {@code everyDays} (7 if neither is given) or by a
     * {@code schedule} in a {@code zone} (UTC if left out).
     */
    public record ReviewInput(String name, String system, String selector, Integer everyDays, String schedule,
            String zone) {
    }

    @POST
    @RequiresPermission(REVIEW)
    public Response define(ReviewInput input, @Context Caller caller) {
        ReviewInput review = Parameters.body(input, "a review");
        Review defined = reviews.define(caller, review.name(), review.system(), review.selector(),
                new Reviews.Due(review.everyDays(), review.schedule(), review.zone()));
        // As defined, without a pass, as a list shows it: whoever may define a review need not be allowed to read it.
        return Response.created(URI.create("monitoring/reviews/" + defined.name()))
                .entity(ReviewDto.of(new Review.View(defined, null, List.of(), defined.due(null)))).build();
    }

    @GET
    @Path("{name}")
    @RequiresPermission(READ)
    public ReviewDto show(@PathParam("name") String name, @Context Caller caller) {
        return withNow(caller, reviews.show(caller, name));
    }

    /** Lists a review's passes, newest first, a page at a time: {@code before} the page's {@code next}. */
    @GET
    @Path("{name}/passes")
    @RequiresPermission(READ)
    public PassPageDto passes(@PathParam("name") String name, @QueryParam("before") Integer before,
            @QueryParam("limit") @DefaultValue("20") int limit, @Context Caller caller) {
        return PassPageDto.of(reviews.passes(caller, name, before, limit), limit);
    }

    @GET
    @Path("{name}/passes/{number}")
    @RequiresPermission(READ)
    public PassDto pass(@PathParam("name") String name, @PathParam("number") int number, @Context Caller caller) {
        Review.PassView pass = reviews.pass(caller, name, number);
        return PassDto.of(pass, reviews.now(caller, pass.items())::get);
    }

    @POST
    @Path("{name}/start")
    @RequiresPermission(REVIEW)
    public ReviewDto start(@PathParam("name") String name, @Context Caller caller) {
        return withNow(caller, reviews.start(caller, name));
    }

    /** The body that changes when a review is due: {@code everyDays}, or a {@code schedule} in a {@code zone}. */
    public record ScheduleInput(Integer everyDays, String schedule, String zone) {
    }

    @PUT
    @Path("{name}/schedule")
    @RequiresPermission(REVIEW)
    public ReviewDto schedule(@PathParam("name") String name, ScheduleInput input, @Context Caller caller) {
        ScheduleInput due = Parameters.body(input, "a schedule");
        return withNow(caller, reviews.schedule(caller, name, new Reviews.Due(due.everyDays(), due.schedule(),
                due.zone())));
    }

    @DELETE
    @Path("{name}")
    @RequiresPermission(REVIEW)
    public void remove(@PathParam("name") String name, @Context Caller caller) {
        reviews.remove(caller, name);
    }

    /** The body that marks an item. */
    public record MarkInput(String mark, String note) {
    }

    @PUT
    @Path("{name}/items/{system}/{check}")
    @RequiresPermission(REVIEW)
    public ItemDto mark(@PathParam("name") String name, @PathParam("system") String system,
            @PathParam("check") String check, MarkInput input, @Context Caller caller) {
        MarkInput mark = Parameters.body(input, "a mark");
        Review.Item item = reviews.mark(caller, name, system, check, mark.mark(), mark.note());
        return ItemDto.of(item, reviews.now(caller, List.of(item)).get(item));
    }

    /** The body that closes a review's pass. */
    public record CloseInput(String outcome) {
    }

    @POST
    @Path("{name}/close")
    @RequiresPermission(REVIEW)
    public ReviewDto close(@PathParam("name") String name, CloseInput input, @Context Caller caller) {
        return withNow(caller, reviews.close(caller, name, Parameters.body(input, "an outcome").outcome()));
    }

    private ReviewDto withNow(Caller caller, Review.View view) {
        return ReviewDto.of(view, reviews.now(caller, view.items())::get);
    }
}
