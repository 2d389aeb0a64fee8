package io.hanse.kernel.core.internal;

import org.osgi.framework.Bundle;

/** The Hanse version as released (such as {@code 0.1.0-SNAPSHOT}), from the kernel bundle's manifest. */
public final class KernelVersion {

    private static final String HEADER = "Hanse-Version";

    private KernelVersion() {
    }

    public static String of(Bundle kernelBundle) {
        return kernelBundle.getHeaders("").get(HEADER);
    }
}
