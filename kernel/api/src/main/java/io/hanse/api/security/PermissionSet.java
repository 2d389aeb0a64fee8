package io.hanse.api.security;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The permissions a bundle declares. Register one as a service; its permissions exist, can be put
 * in roles and are in the built-in roles of their level while the service is registered.
 */
@ConsumerType
public interface PermissionSet {

    /** Returns the permissions, each named once across the whole instance. */
    List<Permission> permissions();
}
