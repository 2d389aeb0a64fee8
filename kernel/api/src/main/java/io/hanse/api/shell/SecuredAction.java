package io.hanse.api.shell;

import io.hanse.api.ForbiddenException;
import io.hanse.api.HanseException;
import io.hanse.api.UnavailableException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.SecurityService;
import io.hanse.api.store.DatabaseFailures;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;

/**
 * A shell command that needs the permission its class declares with {@link RequiresPermission}.
 * The command runs only if the user who logged in to the shell holds that permission somewhere;
 * a command about one system then checks it on that system with {@link Caller#require(String, String)}.
 * A command class without the annotation is refused to everyone.
 *
 * <p>A command prints through {@link #out()}, never {@code System.out}, and what it returns is printed
 * alike, so that no text from an agent, a peer or a user can reach the terminal as a control sequence.
 */
public abstract class SecuredAction implements Action {

    @Reference
    private SecurityService security;

    private PrintableStream out;

    /**
     * Runs the command. A refusal, a {@link HanseException} such as a system that does not exist or a
     * missing permission, is the user's to read, not a fault of the instance: it ends the command as a
     * {@link CommandException} with the same message and the exception as its cause, which Karaf
     * prints without logging it as an error with its stack trace; so does one that a library wrapped.
     * A database that cannot be reached ends it as {@link DatabaseFailures#unavailable}, whatever the
     * driver or the pool said, and Karaf logs that as an error with its cause, as it does anything else.
     */
    @Override
    public final Object execute() throws Exception {
        try {
            Object result = execute(checked(security.shellCaller()));
            return result instanceof CharSequence text ? ShellText.printable(text.toString()) : result;
        } catch (Exception failure) {
            HanseException known = DatabaseFailures.known(failure).orElseThrow(() -> failure);
            if (known instanceof UnavailableException) {
                throw known;
            }
            throw new CommandException(ShellText.printable(String.valueOf(known.getMessage())), known);
        }
    }

    /**
     * Returns the command's console, which prints every text as {@link ShellText#printable(String)}
     * makes it: control characters, such as the escape that starts a terminal's control sequences,
     * are printed as {@code \uFFFD}.
     */
    protected final PrintStream out() {
        // System.out is the console of the thread the command runs on.
        PrintStream console = System.out;
        if (out == null || !out.printsTo(console)) {
            out = new PrintableStream(console);
        }
        return out;
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
