package io.hanse.monitoring.internal;

import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** The permissions the monitoring plugin declares: they exist while it is installed. */
@Component
public final class MonitoringPermissions implements PermissionSet {

    public static final String READ = "monitoring:read";
    public static final String ACK = "monitoring:ack";
    public static final String DOWNTIME = "monitoring:downtime";
    public static final String REVIEW = "monitoring:review";
    public static final String CONFIGURE = "monitoring:configure";

    @Override
    public List<Permission> permissions() {
        return List.of(new Permission(READ, "See checks, problems, history, the status matrix and reviews",
                        Permission.Level.READ),
                new Permission(ACK, "Acknowledge checks' problems and remove acknowledgements",
                        Permission.Level.OPERATE),
                new Permission(DOWNTIME, "Schedule and remove downtimes", Permission.Level.OPERATE),
                new Permission(REVIEW, "Define reviews, start them, mark their items and close them",
                        Permission.Level.OPERATE),
                new Permission(CONFIGURE, "Set checks' policies and remove checks", Permission.Level.ADMINISTER));
    }
}
