package io.hanse.example.internal;

import io.hanse.api.security.Permission;
import io.hanse.api.security.PermissionSet;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** The permissions this plugin declares: they exist while it is installed. */
@Component
public final class ExamplePermissions implements PermissionSet {

    public static final String READ = "example:read";
    public static final String WRITE = "example:write";

    @Override
    public List<Permission> permissions() {
        return List.of(new Permission(READ, "Read the example plugin's notes", Permission.Level.READ),
                new Permission(WRITE, "Add notes with the example plugin", Permission.Level.OPERATE));
    }
}
