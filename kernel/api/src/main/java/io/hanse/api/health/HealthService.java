package io.hanse.api.health;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells whether every part of Hanse runs: the {@code components} check of {@code GET /api/v1/health},
 * whose details name what does not.
 */
@ProviderType
public interface HealthService {

    /**
     * Returns whether every Hanse bundle is active and each of its components has what it needs and
     * started without failure. It is false while Hanse starts or stops, while components restart
     * after their configuration changed, while a Hanse bundle is stopped and once a component has
     * failed. It looks at every bundle and component: ask it when a request fails, not for every
     * request.
     */
    boolean componentsUp();
}
