package io.hanse.kernel.security.rest;

import static io.hanse.api.security.KernelPermissions.SECURITY_READ;
import static io.hanse.api.security.KernelPermissions.SECURITY_WRITE;
import static io.hanse.api.security.KernelPermissions.SELF_MANAGE;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.rest.Parameters;
import io.hanse.api.rest.RestResource;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.RequiresPermission;
import io.hanse.kernel.security.internal.SecurityManager;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import io.hanse.kernel.security.internal.SecurityManager.Group;
import io.hanse.kernel.security.internal.SecurityManager.IssuedToken;
import io.hanse.kernel.security.internal.SecurityManager.Key;
import io.hanse.kernel.security.internal.SecurityManager.Role;
import io.hanse.kernel.security.internal.SecurityManager.Token;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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
 * {@code /api/v1/security}: users, SSH keys, groups, roles, role bindings, API tokens, and the
 * caller's own account. Passwords go in and never come out; a token is shown once, when created.
 */
@Component(service = RestResource.class)
@Path("security")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SecurityResource implements RestResource {

    private final SecurityManager security;

    @Activate
    public SecurityResource(@Reference SecurityManager security) {
        this.security = security;
    }

    /**
     * A new user, or with {@code service} true a service principal; {@code password} may be left
     * out for key- or token-only logins.
     */
    record UserInput(String name, String displayName, Boolean service, String password) {
    }

    /** A change to a user; what is left out stays. */
    record UserChange(String displayName, Boolean disabled) {
    }

    /** A new password; {@code current} is required when users change their own. */
    record PasswordInput(String current, String password) {
    }

    record KeyInput(String publicKey) {
    }

    record GroupInput(String name, String description) {
    }

    /** A role; on {@code PUT}, a description left out stays as it is. */
    record RoleInput(String name, String description, Set<String> permissions) {
    }

    /** A role binding: to a user or a group, on a system ({@code null} for the whole instance). */
    record BindingInput(String role, String user, String group, String system, Boolean includeMembers) {
    }

    /**
     * A new token: for the caller unless {@code user} names someone else; limited to some of the
     * user's roles and to some systems if given; living {@code expiresIn} (ISO-8601, such as P30D).
     */
    record TokenInput(String name, String user, Set<String> roles, Set<String> systems, String expiresIn) {
    }

    /** Who the caller is, and where it holds each permission: everywhere, or on which systems. */
    record MeDto(String name, String kind, List<PermissionScopeDto> permissions) {
    }

    record PermissionScopeDto(String name, boolean everywhere, List<String> systems) {
    }

    // --- the caller's own account ---

    @GET
    @Path("me")
    @RequiresPermission(SELF_MANAGE)
    public MeDto getMe(@Context Caller caller) {
        return new MeDto(caller.source().name(), caller.source().kind().name().toLowerCase(),
                security.permissions().stream().map(Permission::name)
                        .map(name -> new PermissionScopeDto(name, caller.scope(name).everywhere(),
                                caller.scope(name).systems().stream().sorted().toList()))
                        .filter(scope -> scope.everywhere() || !scope.systems().isEmpty())
                        .toList());
    }

    @PUT
    @Path("me/password")
    @RequiresPermission(SELF_MANAGE)
    public void changeOwnPassword(PasswordInput input, @Context Caller caller) {
        PasswordInput given = Parameters.body(input, "a JSON object with current and password");
        if (given.current() == null) {
            throw new InvalidRequestException("current is required: the password being replaced");
        }
        security.setPassword(caller.source().name(), given.current().toCharArray(), chars(given.password()),
                caller);
    }

    // --- users ---

    @GET
    @Path("users")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<User> listUsers() {
        return security.users();
    }

    @POST
    @Path("users")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Response createUser(UserInput input, @Context Caller caller) {
        UserInput given = Parameters.body(input, "a JSON user");
        User user = security.addUser(given.name(), given.displayName(), Boolean.TRUE.equals(given.service()),
                given.password() == null ? null : chars(given.password()), caller.source());
        return Response.created(URI.create("security/users/" + user.name())).entity(user).build();
    }

    @GET
    @Path("users/{name}")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public User getUser(@PathParam("name") String name) {
        return security.user(name);
    }

    /**
     * Changes a user's display name, or disables or enables it: the latter for administrators who hold,
     * on the whole instance, every permission that user holds.
     */
    @PUT
    @Path("users/{name}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public User changeUser(@PathParam("name") String name, UserChange input, @Context Caller caller) {
        UserChange given = Parameters.body(input, "a JSON object with displayName or disabled");
        return security.updateUser(name, given.displayName(), given.disabled(), caller);
    }

    /** Removes a user: for administrators who hold, on the whole instance, every permission that user holds. */
    @DELETE
    @Path("users/{name}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void deleteUser(@PathParam("name") String name, @Context Caller caller) {
        security.removeUser(name, caller);
    }

    /**
     * Sets someone's password without knowing the old one: for administrators who hold, on the whole
     * instance, every permission that user holds.
     */
    @PUT
    @Path("users/{name}/password")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void setPassword(@PathParam("name") String name, PasswordInput input, @Context Caller caller) {
        security.setPassword(name, null, chars(Parameters.body(input, "a JSON object with password").password()),
                caller);
    }

    @GET
    @Path("users/{name}/keys")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<Key> listKeys(@PathParam("name") String name) {
        return security.keys(name);
    }

    @POST
    @Path("users/{name}/keys")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Key addKey(@PathParam("name") String name, KeyInput input, @Context Caller caller) {
        return security.addKey(name, Parameters.body(input, "a JSON object with publicKey").publicKey(), caller);
    }

    /**
     * Removes a user's SSH key: for administrators who hold, on the whole instance, every permission that
     * user holds. The fingerprint goes into the path as OpenSSH shows it, {@code SHA256:…}: its base64 may
     * hold {@code /}, which the path takes as it is (Jetty refuses an encoded one).
     */
    @DELETE
    @Path("users/{name}/keys/{fingerprint: .+}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void deleteKey(@PathParam("name") String name, @PathParam("fingerprint") String fingerprint,
            @Context Caller caller) {
        security.removeKey(name, fingerprint, caller);
    }

    // --- groups ---

    @GET
    @Path("groups")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<Group> listGroups() {
        return security.groups();
    }

    @POST
    @Path("groups")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Response createGroup(GroupInput input, @Context Caller caller) {
        GroupInput given = Parameters.body(input, "a JSON group");
        Group group = security.addGroup(given.name(), given.description(), caller.source());
        return Response.created(URI.create("security/groups/" + group.name())).entity(group).build();
    }

    @GET
    @Path("groups/{name}")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public Group getGroup(@PathParam("name") String name) {
        return security.group(name);
    }

    @DELETE
    @Path("groups/{name}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void deleteGroup(@PathParam("name") String name, @Context Caller caller) {
        security.removeGroup(name, caller);
    }

    @PUT
    @Path("groups/{name}/members/{user}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Group addGroupMember(@PathParam("name") String name, @PathParam("user") String user,
            @Context Caller caller) {
        return security.changeMember(name, user, true, caller);
    }

    @DELETE
    @Path("groups/{name}/members/{user}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Group removeGroupMember(@PathParam("name") String name, @PathParam("user") String user,
            @Context Caller caller) {
        return security.changeMember(name, user, false, caller);
    }

    // --- permissions and roles ---

    @GET
    @Path("permissions")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<Permission> listPermissions() {
        return security.permissions();
    }

    @GET
    @Path("roles")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<Role> listRoles() {
        return security.roles();
    }

    @POST
    @Path("roles")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Response createRole(RoleInput input, @Context Caller caller) {
        RoleInput given = Parameters.body(input, "a JSON role");
        Role role = security.saveRole(given.name(), given.description(), given.permissions(), true, caller);
        return Response.created(URI.create("security/roles/" + role.name())).entity(role).build();
    }

    @GET
    @Path("roles/{name}")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public Role getRole(@PathParam("name") String name) {
        return security.role(name);
    }

    @PUT
    @Path("roles/{name}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Role replaceRole(@PathParam("name") String name, RoleInput input, @Context Caller caller) {
        RoleInput given = Parameters.body(input, "a JSON role");
        return security.saveRole(name, given.description(), given.permissions(), false, caller);
    }

    @DELETE
    @Path("roles/{name}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void deleteRole(@PathParam("name") String name, @Context Caller caller) {
        security.removeRole(name, caller);
    }

    // --- bindings ---

    @GET
    @Path("bindings")
    @RequiresPermission(value = SECURITY_READ, everywhere = true)
    public List<Binding> listBindings() {
        return security.bindings();
    }

    @POST
    @Path("bindings")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public Response createBinding(BindingInput input, @Context Caller caller) {
        BindingInput given = Parameters.body(input, "a JSON binding");
        Binding binding = security.bind(given.role(), given.user(), given.group(), given.system(),
                given.includeMembers() == null || given.includeMembers(), caller);
        return Response.created(URI.create("security/bindings/" + binding.id())).entity(binding).build();
    }

    @DELETE
    @Path("bindings/{id}")
    @RequiresPermission(value = SECURITY_WRITE, everywhere = true)
    public void deleteBinding(@PathParam("id") String id, @Context Caller caller) {
        security.unbind(Parameters.id("id", id), caller);
    }

    // --- tokens ---

    /** Lists the caller's own tokens; with {@code user}, someone else's, or with {@code user=*} everyone's. */
    @GET
    @Path("tokens")
    @RequiresPermission(SELF_MANAGE)
    public List<Token> listTokens(@QueryParam("user") String user, @Context Caller caller) {
        String owner = user == null ? caller.source().name() : user;
        if (!owner.equals(caller.source().name())) {
            caller.require(SECURITY_READ);
        }
        return security.tokens("*".equals(owner) ? null : owner);
    }

    @POST
    @Path("tokens")
    @RequiresPermission(SELF_MANAGE)
    public Response createToken(TokenInput input, @Context Caller caller) {
        TokenInput given = Parameters.body(input, "a JSON token with at least a name");
        String owner = given.user() == null ? caller.source().name() : given.user();
        if (!owner.equals(caller.source().name())) {
            caller.require(SECURITY_WRITE);
        }
        IssuedToken issued = security.createToken(caller, owner, given.name(), given.roles(), given.systems(),
                Parameters.duration("expiresIn", given.expiresIn()));
        return Response.created(URI.create("security/tokens/" + issued.token().id())).entity(issued).build();
    }

    /**
     * Revokes a token at once: one's own, or another user's with security:write and, on the whole
     * instance, every permission that user holds.
     */
    @DELETE
    @Path("tokens/{id}")
    @RequiresPermission(SELF_MANAGE)
    public Token revokeToken(@PathParam("id") String id, @Context Caller caller) {
        UUID token = Parameters.id("id", id);
        if (!security.tokenOwner(token).equals(caller.source().name())) {
            caller.require(SECURITY_WRITE);
        }
        return security.revokeToken(token, caller);
    }

    // --- input ---

    private static char[] chars(String password) {
        if (password == null) {
            throw new InvalidRequestException("password is required");
        }
        return password.toCharArray();
    }

}
