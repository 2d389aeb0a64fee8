package io.hanse.api.instance;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Tells who this instance is: the record read at start, or created on the very first start.
 */
@ProviderType
public interface InstanceService {

    /**
     * Returns this instance.
     */
    Instance instance();
}
