package io.hanse.kernel.core.command;

import static io.hanse.api.security.KernelPermissions.INSTANCE_BACKUP;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hanse.api.UnavailableException;
import io.hanse.api.instance.InstanceService;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.DatabaseBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;

/**
 * Backs up the embedded database while Hanse runs: a copy of its file taken meanwhile may miss what was
 * committed. The backup holds the password hashes and the federation's private key, so it is readable
 * by its owner only (see {@link DatabaseBackup#backUp}), and audited.
 */
@Command(scope = "hanse", name = "backup", description = "Backs up the embedded database while Hanse runs, to a new"
        + " ZIP file readable by its owner only; restore it by unpacking it into data/hanse/ while Hanse is stopped."
        + " PostgreSQL is backed up with pg_dump.")
@Service
@RequiresPermission(value = INSTANCE_BACKUP, everywhere = true)
public class BackupCommand extends SecuredAction {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    @Argument(index = 0, name = "file", description = "The ZIP file to write, which must not exist, in a directory"
            + " that does, relative to Hanse's directory; by default data/backups/hanse-<instance>-<UTC time>.zip")
    String file;

    @Reference
    BundleContext context;

    @Reference(optional = true)
    DatabaseBackup backup;

    @Reference(optional = true)
    InstanceService instances;

    @Reference(optional = true)
    AuditLog audit;

    @Override
    protected Object execute(Caller caller) throws Exception {
        if (backup == null || instances == null || audit == null) {
            throw new UnavailableException("The database is not up yet; try again shortly");
        }
        String instance = instances.instance().name();
        Path target;
        Path made = null;
        if (file == null) {
            Path backups = Path.of(context.getProperty("karaf.data"), "backups");
            made = Files.isDirectory(backups) ? null : Files.createDirectories(backups);
            target = backups.resolve("hanse-" + instance + "-" + STAMP.format(Instant.now()) + ".zip");
        } else {
            target = Path.of(context.getProperty("karaf.base")).resolve(file);
        }
        try {
            backup.backUp(target);
        } catch (RuntimeException e) {
            // Such as PostgreSQL's refusal: no empty data/backups/ is left behind.
            if (made != null) {
                Files.deleteIfExists(made);
            }
            throw e;
        }
        try {
            audit.append(new AuditEntry(caller.source(), "instance.backup", "instance/" + instance, null,
                    JsonNodeFactory.instance.objectNode().put("file", target.toString()).toString()));
        } catch (RuntimeException e) {
            // No backup without its entry in the audit log.
            Files.delete(target);
            throw e;
        }
        out().println("Backed up the embedded database to " + target + " (" + Files.size(target) + " bytes). To"
                + " restore it, stop Hanse, unpack it into data/hanse/ (unzip -o <file> -d data/hanse) and start"
                + " Hanse.");
        return null;
    }
}
