package io.hanse.api.security;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What plugins ask the kernel about security. REST resources receive their caller as a
 * {@code @Context Caller} parameter; shell commands ask {@link #shellCaller()}.
 */
@ProviderType
public interface SecurityService {

    /**
     * Returns the caller of the shell command running on this thread: the user who logged in to
     * the shell, or an anonymous caller if no shell login is running it.
     */
    Caller shellCaller();

    /** Returns every permission declared now, sorted by name. */
    List<Permission> permissions();
}
