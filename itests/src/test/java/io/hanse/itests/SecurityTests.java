package io.hanse.itests;

/**
 * Security through REST and the shell, on every database: who may call what, what each caller
 * sees, tokens, logins and the audit log.
 */
public abstract class SecurityTests extends HanseTestSupport {
}
