package io.hanse.api.system;

import io.hanse.api.ConflictException;
import io.hanse.api.NotFoundException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Changes systems. Every change is stored before the call returns, is recorded on the timeline,
 * and is announced to {@link SystemListener}s. A refused change leaves everything as it was.
 */
@ProviderType
public interface SystemAdminService {

    /**
     * Creates a system.
     *
     * @return the system as stored
     * @throws ConflictException if the slug is taken, or if the members or the selector would make a
     *     cycle; the message names the cycle
     * @throws NotFoundException if an explicit member does not exist
     */
    ManagedSystem create(SystemDraft draft);

    /**
     * Replaces everything about a system, possibly including its slug, keeping its id.
     *
     * @param slug the system's current slug
     * @return the system as stored
     * @throws NotFoundException if there is no such system, or an explicit member does not exist
     * @throws ConflictException if the new slug is taken, or the change would make a cycle, either
     *     through its own members or because its new labels match the selector of one of its members
     */
    ManagedSystem update(String slug, SystemDraft draft);

    /**
     * Deletes a system. Aggregates that list it lose it as a member; the timeline records that.
     *
     * @return the system as it was
     * @throws NotFoundException if there is no such system
     */
    ManagedSystem delete(String slug);

    /**
     * Adds an explicit member to an aggregate; adding one that is already explicit changes nothing.
     *
     * @return the aggregate as stored
     * @throws NotFoundException if either system does not exist
     * @throws ConflictException if the member already contains the aggregate; the message names the cycle
     */
    ManagedSystem addMember(String aggregate, String member);

    /**
     * Removes an explicit member from an aggregate. A member that the aggregate's selector chooses
     * stays selected.
     *
     * @return the aggregate as stored
     * @throws NotFoundException if either system does not exist, or the member is not an explicit member
     */
    ManagedSystem removeMember(String aggregate, String member);
}
