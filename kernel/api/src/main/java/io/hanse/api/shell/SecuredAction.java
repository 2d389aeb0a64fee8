package io.hanse.api.shell;

import io.hanse.api.ForbiddenException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.SecurityService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * A shell command that needs the permission its class declares with {@link RequiresPermission}.
 * The command runs only if the user who logged in to the shell holds that permission somewhere;
 * a command about one system then checks it on that system with {@link Caller#require(String, String)}.
 * A command class without the annotation is refused to everyone.
 */
public abstract class SecuredAction implements Action {

    @Reference
    private SecurityService security;

    @Override
    public final Object execute() throws Exception {
        return execute(checked(security.shellCaller()));
    }

    /**
     * Runs the command for a caller who holds {@link #permission()} somewhere.
     *
     * @return what the shell prints, or {@code null}
     */
    protected abstract Object execute(Caller caller) throws Exception;

    /** Returns the permission this command declares. */
    protected final String permission() {
        return declared().value();
    }

    private RequiresPermission declared() {
        RequiresPermission required = getClass().getAnnotation(RequiresPermission.class);
        if (required == null) {
            throw new ForbiddenException(getClass().getName() + " declares no permission and is refused");
        }
        return required;
    }

    private Caller checked(Caller caller) {
        caller.require(declared());
        return caller;
    }
}
