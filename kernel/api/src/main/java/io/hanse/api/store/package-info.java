/**
 * Persistence for plugins: each bundle owns its tables and the migrations that create them.
 * <p>
 * A bundle keeps its Liquibase change log at {@code db/<bundle-symbolic-name>/changelog.xml} and
 * declares a JPA persistence unit ({@code Meta-Persistence} header) whose JTA data source is
 * {@code osgi:service/javax.sql.DataSource/(osgi.jndi.service.name=hanse)}. Before first use of
 * its tables, the bundle's store calls {@link io.hanse.api.store.SchemaMigrator#migrate}.
 * Entities stay private to the bundle.
 * <p>
 * {@link io.hanse.api.store.DatabaseFailures} tells a failure that trying again may cure, and
 * {@link io.hanse.api.store.FailureLog} logs work that is tried again while it fails, such as a
 * background loop while the database is away, without filling the log.
 */
@Export
@Version("0.4.0")
package io.hanse.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
