package io.hanse.kernel.security.command;

import io.hanse.api.security.Caller;
import io.hanse.api.security.KernelPermissions;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.shell.SecuredAction;
import io.hanse.kernel.store.AuditLog;
import io.hanse.kernel.store.AuditVerification;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "hanse", name = "audit-verify", description = "Recomputes the audit log's hash chain from its "
        + "first entry to its last, and reports the first entry that was changed, removed or inserted outside "
        + "Hanse. Fails if the chain is broken, so that scripts notice.")
@Service
@RequiresPermission(value = KernelPermissions.AUDIT_READ, everywhere = true)
public class AuditVerifyCommand extends SecuredAction {

    @Reference
    AuditLog audit;

    @Override
    protected Object execute(Caller caller) {
        AuditVerification verification = audit.verify();
        if (!verification.intact()) {
            // Thrown, not printed: the shell shows it as an error and a script sees the command fail.
            throw new IllegalStateException(report(verification));
        }
        out().println(report(verification));
        return null;
    }

    /** Returns the outcome in words: intact and how much was checked, or where the chain breaks and how. */
    static String report(AuditVerification verification) {
        if (verification.intact()) {
            return "Audit log intact: " + verification.checked() + " entries checked";
        }
        return "Audit log broken at entry " + verification.firstBroken() + ": " + verification.problem() + " ("
                + verification.checked() + " entries checked)";
    }
}
