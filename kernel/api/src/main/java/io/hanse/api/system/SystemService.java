package io.hanse.api.system;

import io.hanse.api.NotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads systems and their membership graph. Reads are served from memory and never wait for the
 * database; they see every change whose call has returned.
 */
@ProviderType
public interface SystemService {

    /**
     * Returns the system with this slug, if there is one.
     */
    Optional<ManagedSystem> find(String slug);

    /**
     * Returns the system with this id, if there is one. Ids, unlike slugs, never change.
     */
    Optional<ManagedSystem> find(UUID id);

    /**
     * Returns the system with this slug.
     *
     * @throws NotFoundException if there is none
     */
    ManagedSystem get(String slug);

    /**
     * Returns the systems that match, sorted by slug.
     *
     * @param kind only systems of this kind; {@code null} for any
     * @param selector only systems whose labels match; {@code null} for any
     */
    List<ManagedSystem> list(String kind, Selector selector);

    /**
     * Returns the direct members of a system, explicit and selected, sorted by slug.
     *
     * @throws NotFoundException if there is no such system
     */
    List<ManagedSystem> members(String slug);

    /**
     * Returns the slugs of all systems below this one, at any depth, without the system itself.
     *
     * @throws NotFoundException if there is no such system
     */
    List<String> transitiveMembers(String slug);

    /**
     * Returns the systems that have this one as a direct member, sorted by slug.
     *
     * @throws NotFoundException if there is no such system
     */
    List<ManagedSystem> aggregates(String slug);

    /**
     * Returns the number of systems.
     */
    int count();

    /**
     * Returns a number that grows with every change of any system: what was worked out from the
     * systems at one version, such as who aggregates whom, holds until the version changes.
     *
     * @since 0.3.0
     */
    long version();
}
