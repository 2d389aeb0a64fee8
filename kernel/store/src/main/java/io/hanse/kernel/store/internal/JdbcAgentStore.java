package io.hanse.kernel.store.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hanse.kernel.store.AgentStore;
import io.hanse.kernel.store.StoredAgent;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Agents' records in plain JDBC, one row per agent keyed by its service principal; deleting the
 * principal takes the row along by a foreign-key cascade.
 */
@Component(service = AgentStore.class)
public final class JdbcAgentStore implements AgentStore {

    private static final String COLUMNS = "version, hostname, boot_epoch, capabilities, checks, spool_pending,"
            + " spool_dropped, enrolled, last_seen, lost, principal_id";
    private static final String UPDATE = "UPDATE hanse_agent SET version = ?, hostname = ?, boot_epoch = ?,"
            + " capabilities = ?, checks = ?, spool_pending = ?, spool_dropped = ?, enrolled = ?, last_seen = ?,"
            + " lost = ? WHERE principal_id = ?";
    private static final String INSERT = "INSERT INTO hanse_agent (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final TypeReference<List<String>> NAMES = new TypeReference<>() { };

    private final Jdbc jdbc;

    @Activate
    public JdbcAgentStore(@Reference KernelSchema schema,
            @Reference(target = "(osgi.jndi.service.name=hanse)") DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public List<StoredAgent> loadAll() {
        return jdbc.inTransaction(connection -> Jdbc.select(connection,
                "SELECT " + COLUMNS + " FROM hanse_agent ORDER BY enrolled, principal_id",
                row -> new StoredAgent(row.getObject("principal_id", UUID.class), row.getString("version"),
                        row.getString("hostname"), row.getLong("boot_epoch"),
                        Json.read(row.getString("capabilities"), NAMES), row.getString("checks"),
                        row.getLong("spool_pending"), row.getLong("spool_dropped"), Jdbc.instant(row, "enrolled"),
                        Jdbc.instant(row, "last_seen"), row.getBoolean("lost"))));
    }

    /**
     * Skips a new record whose principal is gone rather than failing the whole batch: the agent was
     * deleted after the caller last looked, and its record went with it.
     */
    @Override
    public void saveAll(List<StoredAgent> agents) {
        if (agents.isEmpty()) {
            return;
        }
        jdbc.inTransaction(connection -> {
            for (StoredAgent agent : agents) {
                Object[] columns = {agent.version(), agent.hostname(), agent.bootEpoch(),
                    Json.write(agent.capabilities()), agent.checks(), agent.spoolPending(), agent.spoolDropped(),
                    agent.enrolled(), agent.lastSeen(), agent.lost(), agent.principal()};
                if (Jdbc.execute(connection, UPDATE, columns) == 0 && !Jdbc.select(connection,
                        "SELECT id FROM hanse_principal WHERE id = ?", row -> true, agent.principal()).isEmpty()) {
                    Jdbc.execute(connection, INSERT, columns);
                }
            }
            return null;
        });
    }
}
