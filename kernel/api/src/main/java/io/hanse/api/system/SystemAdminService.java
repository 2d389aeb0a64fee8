package io.hanse.api.system;

import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.Caller;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes systems on behalf of a caller. Every change is checked against the caller's rights
 * ({@code systems:write} on each system it touches; on the whole instance for creating a system or
 * changing a selector, since both can widen what others see), stored with its audit entry naming
 * the caller before the call returns, recorded on the timeline, and announced to
 * {@link SystemListener}s. A refused change leaves everything as it was. A change refused because it
 * would make a cycle names the systems along it that the caller may read ({@code systems:read}) and
 * only counts the others.
 */
@ProviderType
public interface SystemAdminService {

    /**
     * Creates a system.
     *
     * @return the system as stored
     * @throws ForbiddenException if the caller may not write systems on the whole instance
     * @throws ConflictException if the slug is taken, or if the members or the selector would make a
     *     cycle; the message names the cycle
     * @throws NotFoundException if an explicit member does not exist
     */
    ManagedSystem create(SystemDraft draft, Caller caller);

    /**
     * Creates or replaces a peer's system as a remote system here. A remote system is named
     * {@code peer/slug}, keeps the id it has on its own instance, lists only that peer's systems as
     * members, has no selector, and is changed only this way and deleted only by that peer's caller:
     * everyone else may read it and make it a member of local aggregates. Federation calls this.
     *
     * @param id the system's id on its own instance
     * @param caller the peer: a caller whose source is of kind {@code PEER} and names the peer
     * @return the system as stored
     * @throws ForbiddenException if the caller is not the peer the slug names
     * @throws InvalidRequestException if the draft is not a remote system's: a local slug, members of
     *     another instance, or a selector
     * @throws ConflictException if the id or slug is taken by a system that is not this peer's, or the
     *     members would make a cycle
     * @throws NotFoundException if an explicit member does not exist yet
     * @since 0.4.0
     */
    ManagedSystem putRemote(UUID id, SystemDraft draft, Caller caller);

    /**
     * Replaces everything about a system, possibly including its slug, keeping its id.
     *
     * @param slug the system's current slug
     * @return the system as stored
     * @throws ForbiddenException if the caller may not write the system, a member it adds, or, for a
     *     new selector, systems on the whole instance
     * @throws NotFoundException if there is no such system, or an explicit member does not exist
     * @throws ConflictException if the new slug is taken, or the change would make a cycle, either
     *     through its own members or because its new labels match the selector of one of its members
     */
    ManagedSystem update(String slug, SystemDraft draft, Caller caller);

    /**
     * Deletes a system. Aggregates that list it lose it as a member; the timeline records that. A
     * remote system is deleted only by its peer's caller.
     *
     * @return the system as it was
     * @throws ForbiddenException if the caller may not write the system
     * @throws NotFoundException if there is no such system
     */
    ManagedSystem delete(String slug, Caller caller);

    /**
     * Adds an explicit member to an aggregate; adding one that is already explicit changes nothing.
     *
     * @return the aggregate as stored
     * @throws ForbiddenException if the caller may not write both systems
     * @throws NotFoundException if either system does not exist
     * @throws ConflictException if the member already contains the aggregate; the message names the cycle
     */
    ManagedSystem addMember(String aggregate, String member, Caller caller);

    /**
     * Removes an explicit member from an aggregate. A member that the aggregate's selector chooses
     * stays selected. A member the caller may not read ({@code systems:read}) is answered for as one
     * that does not exist, and stays.
     *
     * @return the aggregate as stored
     * @throws ForbiddenException if the caller may not write the aggregate
     * @throws NotFoundException if either system does not exist, the caller may not read the member, or
     *     the member is not an explicit member
     */
    ManagedSystem removeMember(String aggregate, String member, Caller caller);
}
