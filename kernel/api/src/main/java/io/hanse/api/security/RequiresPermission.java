package io.hanse.api.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a REST resource method or a shell command ({@link io.hanse.api.shell.SecuredAction})
 * needs. By default the caller must hold it somewhere (on the instance or on some system) and the
 * method narrows what it does with {@link Caller#scope(String)}; with {@link #system()} the caller
 * must hold it on the system that parameter names; with {@link #everywhere()} on the whole instance.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {

    /** The permission's name. */
    String value();

    /**
     * The name of the path or query parameter that holds the slug of the system the permission is
     * needed on; empty if the method is not about one system. Not used on shell commands.
     */
    String system() default "";

    /** Whether the permission must be held on the whole instance, for what belongs to no system. */
    boolean everywhere() default false;
}
