package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.SecurityStore;
import io.hanse.kernel.store.StoredBinding;
import io.hanse.kernel.store.StoredEnrollment;
import io.hanse.kernel.store.StoredGroup;
import io.hanse.kernel.store.StoredKey;
import io.hanse.kernel.store.StoredPrincipal;
import io.hanse.kernel.store.StoredRole;
import io.hanse.kernel.store.StoredToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Principals, groups, roles, bindings, tokens and keys in plain JDBC. They are few: the security
 * service reads them all at start and keeps them in memory. Deleting a principal, group or system
 * takes what depends on it along by foreign-key cascades.
 */
@Component(service = SecurityStore.class)
public final class JdbcSecurityStore implements SecurityStore {

    private static final String INSERT_PRINCIPAL = "INSERT INTO hanse_principal (name, service, display_name,"
            + " password_hash, one_time_password, disabled, created, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String SELECT_ENROLLMENT = "SELECT id, secret_hash, agent, systems, created_by, created,"
            + " expires, used FROM hanse_enrollment";

    private static final TypeReference<Set<String>> NAMES = new TypeReference<>() { };
    private static final TypeReference<Set<UUID>> IDS = new TypeReference<>() { };

    private final Jdbc jdbc;

    @Activate
    public JdbcSecurityStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public Contents loadAll() {
        return jdbc.inTransaction(connection -> {
            List<StoredPrincipal> principals = Jdbc.select(connection, "SELECT id, name, service, display_name,"
                    + " password_hash, one_time_password, disabled, created FROM hanse_principal ORDER BY name",
                    row -> new StoredPrincipal(row.getObject("id", UUID.class), row.getString("name"),
                            row.getBoolean("service"), row.getString("display_name"), row.getString("password_hash"),
                            row.getBoolean("one_time_password"), row.getBoolean("disabled"),
                            Jdbc.instant(row, "created")));
            Map<UUID, Set<UUID>> members = Jdbc.select(connection,
                    "SELECT group_id, principal_id FROM hanse_group_member",
                    row -> Map.entry(row.getObject("group_id", UUID.class), row.getObject("principal_id", UUID.class)))
                    .stream().collect(Collectors.groupingBy(Map.Entry::getKey,
                            Collectors.mapping(Map.Entry::getValue, Collectors.toSet())));
            List<StoredGroup> groups = Jdbc.select(connection,
                    "SELECT id, name, description FROM hanse_group ORDER BY name",
                    row -> {
                        UUID id = row.getObject("id", UUID.class);
                        return new StoredGroup(id, row.getString("name"), row.getString("description"),
                                members.getOrDefault(id, Set.of()));
                    });
            List<StoredRole> roles = Jdbc.select(connection, "SELECT name, description, permissions FROM hanse_role"
                    + " ORDER BY name", row -> new StoredRole(row.getString("name"), row.getString("description"),
                            Json.read(row.getString("permissions"), NAMES)));
            List<StoredBinding> bindings = Jdbc.select(connection, "SELECT id, role, principal_id, group_id, system_id,"
                    + " include_members, created FROM hanse_role_binding ORDER BY created, id",
                    row -> new StoredBinding(row.getObject("id", UUID.class), row.getString("role"),
                            row.getObject("principal_id", UUID.class), row.getObject("group_id", UUID.class),
                            row.getObject("system_id", UUID.class), row.getBoolean("include_members"),
                            Jdbc.instant(row, "created")));
            List<StoredToken> tokens = Jdbc.select(connection, "SELECT id, name, principal_id, secret_hash, roles,"
                    + " systems, expires, created, revoked FROM hanse_token ORDER BY created, id",
                    row -> new StoredToken(row.getObject("id", UUID.class), row.getString("name"),
                            row.getObject("principal_id", UUID.class), row.getString("secret_hash"),
                            readOrNull(row.getString("roles"), NAMES), readOrNull(row.getString("systems"), IDS),
                            Jdbc.instant(row, "expires"), Jdbc.instant(row, "created"),
                            Jdbc.instant(row, "revoked")));
            List<StoredKey> keys = Jdbc.select(connection, "SELECT principal_id, fingerprint, public_key, created"
                    + " FROM hanse_ssh_key ORDER BY created, fingerprint",
                    row -> new StoredKey(row.getObject("principal_id", UUID.class), row.getString("fingerprint"),
                            row.getString("public_key"), Jdbc.instant(row, "created")));
            return new Contents(principals, groups, roles, bindings, tokens, keys);
        });
    }

    @Override
    public void savePrincipal(StoredPrincipal principal, AuditEntry audit) {
        jdbc.change(audit, connection -> savePrincipal(connection, principal));
    }

    private static void savePrincipal(Connection connection, StoredPrincipal principal) throws SQLException {
        upsert(connection, "UPDATE hanse_principal SET name = ?, service = ?, display_name = ?, password_hash = ?,"
                + " one_time_password = ?, disabled = ?, created = ? WHERE id = ?",
                INSERT_PRINCIPAL, principalColumns(principal));
    }

    @Override
    public void insertPrincipal(StoredPrincipal principal, List<StoredBinding> bindings, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            Jdbc.execute(connection, INSERT_PRINCIPAL, principalColumns(principal));
            for (StoredBinding binding : bindings) {
                insertBinding(connection, binding);
            }
        });
    }

    /** A principal's columns in the order of {@link #INSERT_PRINCIPAL}, the id last. */
    private static Object[] principalColumns(StoredPrincipal principal) {
        return new Object[] {principal.name(), principal.service(), principal.displayName(), principal.passwordHash(),
                principal.oneTimePassword(), principal.disabled(), principal.created(), principal.id()};
    }

    @Override
    public void deletePrincipal(UUID id, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "DELETE FROM hanse_principal WHERE id = ?", id));
    }

    @Override
    public void saveGroup(StoredGroup group, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            upsert(connection, "UPDATE hanse_group SET name = ?, description = ? WHERE id = ?",
                    "INSERT INTO hanse_group (name, description, id) VALUES (?, ?, ?)",
                    group.name(), group.description(), group.id());
            Jdbc.execute(connection, "DELETE FROM hanse_group_member WHERE group_id = ?", group.id());
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO hanse_group_member (group_id, principal_id) VALUES (?, ?)")) {
                for (UUID member : group.members()) {
                    Jdbc.bind(insert, group.id(), member);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    @Override
    public void deleteGroup(UUID id, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "DELETE FROM hanse_group WHERE id = ?", id));
    }

    @Override
    public void saveRole(StoredRole role, AuditEntry audit) {
        jdbc.change(audit, connection -> upsert(connection,
                "UPDATE hanse_role SET description = ?, permissions = ? WHERE name = ?",
                "INSERT INTO hanse_role (description, permissions, name) VALUES (?, ?, ?)",
                role.description(), Json.write(new TreeSet<>(role.permissions())), role.name()));
    }

    /** Bindings name their role without a foreign key, since built-in roles are not stored. */
    @Override
    public void deleteRole(String name, AuditEntry audit) {
        jdbc.change(audit, connection -> {
            Jdbc.execute(connection, "DELETE FROM hanse_role_binding WHERE role = ?", name);
            Jdbc.execute(connection, "DELETE FROM hanse_role WHERE name = ?", name);
        });
    }

    @Override
    public void insertBinding(StoredBinding binding, AuditEntry audit) {
        jdbc.change(audit, connection -> insertBinding(connection, binding));
    }

    private static void insertBinding(Connection connection, StoredBinding binding) throws SQLException {
        Jdbc.execute(connection, "INSERT INTO hanse_role_binding (id, role, principal_id, group_id, system_id,"
                + " include_members, created) VALUES (?, ?, ?, ?, ?, ?, ?)", binding.id(), binding.role(),
                binding.principal(), binding.group(), binding.system(), binding.includeMembers(), binding.created());
    }

    @Override
    public void deleteBinding(UUID id, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "DELETE FROM hanse_role_binding WHERE id = ?", id));
    }

    @Override
    public void insertToken(StoredToken token, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "INSERT INTO hanse_token (id, name, principal_id,"
                + " secret_hash, roles, systems, expires, created, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                token.id(), token.name(), token.principal(), token.secretHash(),
                token.roles() == null ? null : Json.write(new TreeSet<>(token.roles())),
                token.systems() == null ? null : Json.write(new TreeSet<>(token.systems())),
                token.expires(), token.created(), token.revoked()));
    }

    @Override
    public void revokeToken(UUID id, Instant at, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "UPDATE hanse_token SET revoked = ? WHERE id = ?",
                at, id));
    }

    @Override
    public void insertKey(StoredKey key, AuditEntry audit) {
        jdbc.change(audit, connection -> insertKey(connection, key));
    }

    private static void insertKey(Connection connection, StoredKey key) throws SQLException {
        Jdbc.execute(connection, "INSERT INTO hanse_ssh_key (principal_id, fingerprint, public_key, created)"
                + " VALUES (?, ?, ?, ?)", key.principal(), key.fingerprint(), key.publicKey(), key.created());
    }

    @Override
    public void deleteKey(UUID principal, String fingerprint, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection,
                "DELETE FROM hanse_ssh_key WHERE principal_id = ? AND fingerprint = ?", principal, fingerprint));
    }

    @Override
    public void insertEnrollment(StoredEnrollment enrollment, AuditEntry audit) {
        jdbc.change(audit, connection -> Jdbc.execute(connection, "INSERT INTO hanse_enrollment (id, secret_hash,"
                + " agent, systems, created_by, created, expires, used) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                enrollment.id(), enrollment.secretHash(), enrollment.agent(),
                Json.write(new TreeSet<>(enrollment.systems())), enrollment.createdBy(), enrollment.created(),
                enrollment.expires(), enrollment.used()));
    }

    @Override
    public List<StoredEnrollment> enrollments() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection,
                SELECT_ENROLLMENT + " ORDER BY created DESC, id", JdbcSecurityStore::enrollment));
    }

    @Override
    public Optional<Redemption> redeemEnrollment(String secretHash, Instant now,
            Function<StoredEnrollment, Redemption> redeem) {
        return jdbc.inTransaction(connection -> {
            // The conditional update takes the row: a concurrent redemption waits, then finds it used.
            if (Jdbc.execute(connection, "UPDATE hanse_enrollment SET used = ? WHERE secret_hash = ?"
                    + " AND used IS NULL AND expires > ?", now, secretHash, now) == 0) {
                return Optional.empty();
            }
            // Read after the update: the token as it was, but for its time of use.
            Redemption redemption = redeem.apply(Jdbc.select(connection, SELECT_ENROLLMENT + " WHERE secret_hash = ?",
                    JdbcSecurityStore::enrollment, secretHash).get(0));
            StoredPrincipal principal = redemption.principal();
            savePrincipal(connection, principal);
            Jdbc.execute(connection, "DELETE FROM hanse_role_binding WHERE principal_id = ?", principal.id());
            Jdbc.execute(connection, "DELETE FROM hanse_ssh_key WHERE principal_id = ?", principal.id());
            for (StoredBinding binding : redemption.bindings()) {
                insertBinding(connection, binding);
            }
            insertKey(connection, redemption.key());
            AuditChain.append(connection, redemption.audit(), now);
            return Optional.of(redemption);
        });
    }

    private static StoredEnrollment enrollment(ResultSet row) throws SQLException {
        return new StoredEnrollment(row.getObject("id", UUID.class), row.getString("secret_hash"),
                row.getString("agent"), Json.read(row.getString("systems"), IDS), row.getString("created_by"),
                Jdbc.instant(row, "created"), Jdbc.instant(row, "expires"), Jdbc.instant(row, "used"));
    }

    /** Runs the update, and the insert if it changed nothing; both take the same parameters. */
    private static void upsert(Connection connection, String update, String insert, Object... parameters)
            throws SQLException {
        if (Jdbc.execute(connection, update, parameters) == 0) {
            Jdbc.execute(connection, insert, parameters);
        }
    }

    private static <T> T readOrNull(String json, TypeReference<T> type) {
        return json == null ? null : Json.read(json, type);
    }
}
