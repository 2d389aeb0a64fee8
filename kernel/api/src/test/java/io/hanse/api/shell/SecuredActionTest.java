package io.hanse.api.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.NotFoundException;
import io.hanse.api.UnavailableException;
import io.hanse.api.security.Caller;
import io.hanse.api.security.Permission;
import io.hanse.api.security.RequiresPermission;
import io.hanse.api.security.Scope;
import io.hanse.api.security.SecurityService;
import io.hanse.api.timeline.Source;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a command prints reaches the terminal without control sequences, whichever way it prints. */
class SecuredActionTest {

    /** Clears the screen, moves the cursor home and writes "ok" over what was there. */
    private static final String HOSTILE = "disk full\u001b[2J\u001b[Hok";

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureTheConsole() {
        original = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheConsole() {
        System.setOut(original);
    }

    /** A command as Karaf makes one: its service is injected into the field it declares. */
    @RequiresPermission("test:print")
    private static class Command extends SecuredAction {

        private final Supplier<Object> running;

        Command(Supplier<Object> running) throws ReflectiveOperationException {
            this.running = running;
            var field = SecuredAction.class.getDeclaredField("security");
            field.setAccessible(true);
            field.set(this, new AllowingEverything());
        }

        @Override
        protected Object execute(Caller caller) {
            return running.get();
        }
    }

    @RequiresPermission("test:print")
    private static final class Printing extends Command {

        Printing() throws ReflectiveOperationException {
            super(null);
        }

        @Override
        protected Object execute(Caller caller) {
            out().println(HOSTILE);
            out().printf("%s|%d%n", "\u009b31m", 7);
            out().print('\u0007');
            out().print(new char[] {'\u001b', 'c'});
            out().print((Object) "\u001b]52;c;cm0gLXJm\u0007");
            out().println();
            out().write('\u001b');
            byte[] bytes = "a\u001bb\u00e9\n".getBytes(StandardCharsets.UTF_8);
            out().write(bytes, 0, bytes.length);
            return "done\u001b[31m\r\n";
        }
    }

    @Test
    void controlCharactersArePrintedAsReplacementsOneForOne() throws Exception {
        Object returned = new Printing().execute();

        assertEquals("done\uFFFD[31m\n", returned);
        assertEquals(List.of("disk full\uFFFD[2J\uFFFD[Hok", "\uFFFD31m|7", "\uFFFD\uFFFDc\uFFFD]52;c;cm0gLXJm\uFFFD",
                "?a?b\u00e9"), printed());
    }

    @Test
    void tablesStayAlignedAndMayBePrintedTwice() throws Exception {
        Printing command = new Printing();
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Output");
        table.addRow().addContent("disk", HOSTILE);
        table.addRow().addContent("load\r", "fine");
        table.print(command.out());
        command.out().println("again");

        List<String> lines = printed();
        assertEquals("disk  | disk full\uFFFD[2J\uFFFD[Hok", lines.get(2));
        assertEquals("load\uFFFD | fine", lines.get(3).stripTrailing());
        assertEquals("again", lines.get(4));
    }

    @Test
    void bytesKeepALineEndOfCarriageReturnAndLineFeedButNoLoneCarriageReturn() throws Exception {
        byte[] bytes = "one\r\ntwo\rthree\r".getBytes(StandardCharsets.US_ASCII);
        new Printing().out().write(bytes, 0, bytes.length);

        assertEquals("one\r\ntwo?three?", console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandFollowsTheConsoleOfTheThreadItRunsOn() throws Exception {
        Printing command = new Printing();
        command.out().println("first");
        ByteArrayOutputStream other = new ByteArrayOutputStream();
        System.setOut(new PrintStream(other, true, StandardCharsets.UTF_8));
        command.out().println("second\u001b");

        assertEquals("first\n", console.toString(StandardCharsets.UTF_8));
        assertEquals("second\uFFFD\n", other.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalEndsTheCommandAsKarafPrintsItWithoutAStackTraceInTheLog() throws Exception {
        NotFoundException refused = new NotFoundException("no system 'web\u001b[2J'");
        Command command = new Command(() -> {
            throw refused;
        });

        CommandException ended = assertThrows(CommandException.class, command::execute);
        assertEquals("no system 'web\uFFFD[2J'", ended.getMessage());
        assertSame(refused, ended.getCause());
    }

    @Test
    void aRefusalThatALibraryWrappedEndsTheCommandAsTheRefusal() throws Exception {
        NotFoundException refused = new NotFoundException("no system 'web'");
        Command command = new Command(() -> {
            throw new IllegalStateException("transaction rolled back", refused);
        });

        CommandException ended = assertThrows(CommandException.class, command::execute);
        assertEquals("no system 'web'", ended.getMessage());
        assertSame(refused, ended.getCause());
    }

    @Test
    void aDatabaseOutOfReachIsSaidInTheKernelsWordsNotTheDrivers() throws Exception {
        RuntimeException lost = new RuntimeException("could not prepare statement",
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
        Command command = new Command(() -> {
            throw lost;
        });

        UnavailableException ended = assertThrows(UnavailableException.class, command::execute);
        assertEquals("The database cannot be reached at the moment; try again shortly.", ended.getMessage());
        assertSame(lost, ended.getCause());
    }

    @Test
    void aFaultIsThrownAsItIsForKarafToLogAsAnError() throws Exception {
        for (RuntimeException fault : List.of(new IllegalStateException("a bug"),
                new UnavailableException("database failure: lost", new SQLException("connection lost")))) {
            Command command = new Command(() -> {
                throw fault;
            });

            assertSame(fault, assertThrows(RuntimeException.class, command::execute));
        }
    }

    private List<String> printed() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static final class AllowingEverything implements SecurityService, Caller {

        @Override
        public Caller shellCaller() {
            return this;
        }

        @Override
        public List<Permission> permissions() {
            return List.of();
        }

        @Override
        public Source source() {
            return new Source(Source.Kind.USER, "admin");
        }

        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public Scope scope(String permission) {
            return Scope.EVERYWHERE;
        }
    }
}
