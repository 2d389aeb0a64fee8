package io.hanse.kernel.core.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** The rules for instance names, which appear in global references such as {@code name/slug}. */
final class InstanceNames {

    static final int MAX_LENGTH = 63;

    private static final Pattern VALID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final String FALLBACK = "hanse";

    private InstanceNames() {
    }

    /**
     * Returns the name if it is valid.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static String requireValid(String name) {
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("Instance name '" + name + "' is not valid: use 1 to "
                    + MAX_LENGTH + " lower-case letters, digits and dashes, not starting or ending with a dash");
        }
        return name;
    }

    /** Turns a host name into a valid instance name, such as {@code Ops-01.example.org} into {@code ops-01}. */
    static String fromHostName(String hostName) {
        String label = hostName.split("\\.", 2)[0].toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        if (label.length() > MAX_LENGTH) {
            label = label.substring(0, MAX_LENGTH).replaceAll("-+$", "");
        }
        return label.isEmpty() ? FALLBACK : label;
    }
}
