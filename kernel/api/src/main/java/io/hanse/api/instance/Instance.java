package io.hanse.api.instance;

import java.util.Objects;

/**
 * This Hanse instance as it is stored.
 *
 * @param id stable identifier generated on first start; never changes
 * @param name the instance name: lower-case letters, digits and dashes; systems are referred to
 *     across instances as {@code name/slug}
 * @param version the version of the running Hanse kernel, such as {@code 0.1.0}
 */
public record Instance(String id, String name, String version) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
