package io.hanse.kernel.federation.rest;

import static io.hanse.api.security.KernelPermissions.FEDERATION_MANAGE;
import static io.hanse.api.security.KernelPermissions.FEDERATION_READ;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Public;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.federation.internal.Federation;
import io.hanse.kernel.federation.internal.Federation.GrantView;
import io.hanse.kernel.federation.internal.Federation.Identity;
import io.hanse.kernel.federation.internal.Federation.InvitationView;
import io.hanse.kernel.federation.internal.Federation.IssuedInvitation;
import io.hanse.kernel.federation.internal.Federation.JoinAnswer;
import io.hanse.kernel.federation.internal.Federation.JoinRequest;
import io.hanse.kernel.federation.internal.Federation.PeerView;
import java.net.URI;
import java.util.List;
import java.util.Set;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /api/v1/federation}: this instance's identity, invitations, peers and the grants given to
 * them; and, without credentials, the one request an invited instance joins with. Peers' links are
 * WebSockets at {@code /api/v1/federation/link}.
 */
@Component(service = RestResource.class)
@Path("federation")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class FederationResource implements RestResource {

    private final Federation federation;

    @Activate
    public FederationResource(@Reference Federation federation) {
        this.federation = federation;
    }

    /** A new invitation: valid for {@code validFor} (ISO-8601, default from the configuration). */
    record InvitationInput(Boolean dialOut, String validFor) {
    }

    /** Join the instance that issued this invitation. */
    record JoinInput(String invitation) {
    }

    /** Who dials: this instance ({@code dialOut} true), to {@code url}, or the peer (false); never a default. */
    record DialInput(Boolean dialOut, String url) {
    }

    /** A grant of {@code system} (and by default its members) to {@code peer}, until {@code expires}. */
    record GrantInput(String peer, String system, Boolean members, List<String> actions, String expires) {
    }

    @GET
    @Path("identity")
    @RequiresPermission(value = FEDERATION_READ, everywhere = true)
    public Identity identity(@Context Caller caller) {
        return federation.identity(caller);
    }

    @POST
    @Path("invitations")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public Response invite(InvitationInput input, @Context Caller caller) {
        InvitationInput given = Parameters.body(input, "a JSON object, {} for the defaults");
        IssuedInvitation issued = federation.invite(caller, Boolean.TRUE.equals(given.dialOut()),
                Parameters.duration("validFor", given.validFor()));
        return Response.created(URI.create("federation/invitations/" + issued.id())).entity(issued).build();
    }

    /** The invitations that can still be used: who made them, until when, who will dial; never a secret. */
    @GET
    @Path("invitations")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public List<InvitationView> invitations(@Context Caller caller) {
        return federation.invitations(caller);
    }

    @GET
    @Path("invitations/{id}")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public InvitationView invitation(@PathParam("id") String id, @Context Caller caller) {
        return federation.invitation(caller, Parameters.id("id", id));
    }

    /** Cancels an invitation that can still be used: a join with it is refused from then on. */
    @DELETE
    @Path("invitations/{id}")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public void cancelInvitation(@PathParam("id") String id, @Context Caller caller) {
        federation.cancelInvitation(caller, Parameters.id("id", id));
    }

    /** An invited instance joins: the invitation's secret is its proof, its signature proves its key. */
    @POST
    @Path("join")
    @Public
    public JoinAnswer join(JoinRequest request, @Context ContainerRequestContext context) {
        JoinRequest given = Parameters.body(request, "a JSON object with invitation, secret, name, url, publicKey and"
                + " signature");
        Object address = context.getProperty(CLIENT_ADDRESS);
        return federation.accept(given, address == null ? "unknown" : address.toString());
    }

    @GET
    @Path("peers")
    @RequiresPermission(value = FEDERATION_READ, everywhere = true)
    public List<PeerView> peers(@Context Caller caller) {
        return federation.peers(caller);
    }

    /** Joins the instance that issued the invitation: both pin each other's key. */
    @POST
    @Path("peers")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public Response addPeer(JoinInput input, @Context Caller caller) {
        JoinInput given = Parameters.body(input, "a JSON object with invitation");
        PeerView peer = federation.join(caller, given.invitation());
        return Response.created(URI.create("federation/peers/" + peer.name())).entity(peer).build();
    }

    @GET
    @Path("peers/{name}")
    @RequiresPermission(value = FEDERATION_READ, everywhere = true)
    public PeerView peer(@PathParam("name") String name, @Context Caller caller) {
        return federation.peer(caller, name);
    }

    @POST
    @Path("peers/{name}/suspend")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public PeerView suspend(@PathParam("name") String name, @Context Caller caller) {
        return federation.suspend(caller, name, true);
    }

    @POST
    @Path("peers/{name}/resume")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public PeerView resume(@PathParam("name") String name, @Context Caller caller) {
        return federation.suspend(caller, name, false);
    }

    @PUT
    @Path("peers/{name}/dial")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public PeerView dial(@PathParam("name") String name, DialInput input, @Context Caller caller) {
        DialInput given = Parameters.body(input, "a JSON object with dialOut and, to dial out, url");
        // Read as false, a forgotten dialOut would make the peer the dialing side and leave the link dead.
        if (given.dialOut() == null) {
            throw new InvalidRequestException("dialOut is required: true for this instance to dial the peer,"
                    + " false to wait for the peer to dial");
        }
        return federation.dial(caller, name, given.dialOut(), given.url());
    }

    @DELETE
    @Path("peers/{name}")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public void remove(@PathParam("name") String name, @Context Caller caller) {
        federation.remove(caller, name);
    }

    @GET
    @Path("grants")
    @RequiresPermission(value = FEDERATION_READ, everywhere = true)
    public List<GrantView> grants(@Context Caller caller) {
        return federation.grants(caller);
    }

    @POST
    @Path("grants")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public Response grant(GrantInput input, @Context Caller caller) {
        GrantInput given = Parameters.body(input, "a JSON object with peer and system");
        GrantView grant = federation.grant(caller, given.peer(), given.system(), !Boolean.FALSE.equals(given.members()),
                Set.copyOf(Parameters.elements("actions", given.actions())),
                Parameters.instant("expires", given.expires()));
        return Response.created(URI.create("federation/grants/" + grant.id())).entity(grant).build();
    }

    /** Revokes a grant; a connected peer loses the systems within seconds. */
    @DELETE
    @Path("grants/{id}")
    @RequiresPermission(value = FEDERATION_MANAGE, everywhere = true)
    public GrantView revoke(@PathParam("id") String id, @Context Caller caller) {
        return federation.revoke(caller, Parameters.id("id", id));
    }
}
