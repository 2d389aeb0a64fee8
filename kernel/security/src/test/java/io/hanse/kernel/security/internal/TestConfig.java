package io.hanse.kernel.security.internal;

import java.lang.annotation.Annotation;

/** The security configuration as a test wants it; {@link #DEFAULTS} are the shipped defaults. */
record TestConfig(boolean basicAuth, int freeFailures, int maxLockoutSeconds, int concurrentPasswordChecks,
        int tokenDefaultDays, int tokenMaxDays) implements SecurityConfig {

    static final TestConfig DEFAULTS = new TestConfig(false, 5, 900, 4, 90, 366);

    TestConfig withBasicAuth(boolean on) {
        return new TestConfig(on, freeFailures, maxLockoutSeconds, concurrentPasswordChecks, tokenDefaultDays,
                tokenMaxDays);
    }

    TestConfig withThrottle(int free, int maxLockout) {
        return new TestConfig(basicAuth, free, maxLockout, concurrentPasswordChecks, tokenDefaultDays,
                tokenMaxDays);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return SecurityConfig.class;
    }
}
