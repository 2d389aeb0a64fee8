package io.hanse.kernel.security.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How logins and tokens behave, from {@code etc/io.hanse.security.cfg}. */
@ObjectClassDefinition(id = SecurityConfig.PID, name = "Hanse security")
@interface SecurityConfig {

    String PID = "io.hanse.security";

    @AttributeDefinition(description = "Accept HTTP Basic (user name and password) on the REST API, for people;"
            + " off by default: scripts and programs use API tokens")
    boolean basicAuth() default false;

    @AttributeDefinition(description = "Failed logins allowed per user and per address before each further"
            + " failure locks them out, for 1 s, then 2 s, 4 s, … up to maxLockoutSeconds")
    int freeFailures() default 5;

    @AttributeDefinition(description = "The longest lockout after failed logins, in seconds")
    int maxLockoutSeconds() default 900;

    @AttributeDefinition(description = "Passwords checked or hashed at the same time, at most; each takes 19 MiB."
            + " A login or a new password that finds no turn within 2 seconds is refused: REST answers 503"
            + " with Retry-After")
    int concurrentPasswordChecks() default 4;

    @AttributeDefinition(description = "How long an API token lives when its creator does not say, in days")
    int tokenDefaultDays() default 90;

    @AttributeDefinition(description = "The longest an API token may live, in days")
    int tokenMaxDays() default 366;
}
