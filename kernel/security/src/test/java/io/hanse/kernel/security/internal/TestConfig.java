package io.hanse.kernel.security.internal;

import java.lang.annotation.Annotation;

/** The security configuration as a test wants it; {@link #DEFAULTS} are the shipped defaults. */
record TestConfig(boolean basicAuth, int freeFailures, int maxLockoutSeconds, int tokenDefaultDays,
        int tokenMaxDays) implements SecurityConfig {

    static final TestConfig DEFAULTS = new TestConfig(false, 5, 900, 90, 366);

    TestConfig withBasicAuth(boolean on) {
        return new TestConfig(on, freeFailures, maxLockoutSeconds, tokenDefaultDays, tokenMaxDays);
    }

    TestConfig withThrottle(int free, int maxLockout) {
        return new TestConfig(basicAuth, free, maxLockout, tokenDefaultDays, tokenMaxDays);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return SecurityConfig.class;
    }
}
