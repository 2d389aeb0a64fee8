package io.hanse.kernel.security.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.internal.SecurityManager.Binding;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** Options parsed by Karaf's own parser, as the shell does, then checked by the command. */
class BindCommandTest {

    private static final Instant CREATED = Instant.parse("2026-11-23T10:00:00Z");
    private static final UUID ID = UUID.fromString("3f2c1e4a-9b7d-4c2e-8f1a-0d6b5e4c3a21");

    private static BindCommand parse(Object... words) throws Exception {
        BindCommand command = new BindCommand();
        assertTrue(new DefaultActionPreparator().prepare(command, null, List.of(words)));
        return command;
    }

    @Test
    void optionsNameWhomAndWhere() throws Exception {
        BindCommand command = parse("--user", "alice", "--system", "web", "--no-members", "operator");

        assertEquals("operator", command.role);
        assertEquals("alice", command.user);
        assertNull(command.group);
        assertEquals("web", command.system);
        assertTrue(command.noMembers);
        command.check();
    }

    @Test
    void aBindingOnTheWholeInstanceNeedsOnlyTheRoleAndWhom() throws Exception {
        BindCommand command = parse("--group", "ops", "viewer");

        assertEquals("ops", command.group);
        assertNull(command.system);
        assertFalse(command.noMembers);
        command.check();
    }

    @Test
    void theRoleIsRequired() {
        assertThrows(CommandException.class, () -> parse("--user", "alice"));
    }

    @Test
    void exactlyOneOfUserAndGroup() throws Exception {
        BindCommand both = parse("--user", "alice", "--group", "ops", "viewer");
        BindCommand neither = parse("viewer");

        assertEquals("give --user or --group, exactly one",
                assertThrows(InvalidRequestException.class, both::check).getMessage());
        assertThrows(InvalidRequestException.class, neither::check);
        assertThrows(InvalidRequestException.class,
                () -> both.execute(ShellUsers.holding("root", KernelPermissions.SECURITY_WRITE)));
    }

    @Test
    void noMembersNeedsASystem() throws Exception {
        BindCommand command = parse("--user", "alice", "--no-members", "viewer");

        assertThrows(InvalidRequestException.class, command::check);
    }

    @Test
    void aBindingIsDescribedInWords() {
        Binding instance = new Binding(ID, "admin", "alice", null, null, true, CREATED);
        Binding withMembers = new Binding(ID, "operator", null, "ops", "web", true, CREATED);
        Binding alone = new Binding(ID, "viewer", "bob", null, "db-1", false, CREATED);

        assertEquals("role admin to user alice on the whole instance", BindCommand.describe(instance));
        assertEquals("role operator to group ops on system web and what it aggregates",
                BindCommand.describe(withMembers));
        assertEquals("role viewer to user bob on system db-1 alone", BindCommand.describe(alone));
    }

    @Test
    void theBindingsTableShowsWhomAndWhere() {
        List<Binding> bindings = List.of(new Binding(ID, "admin", "alice", null, null, true, CREATED),
                new Binding(ID, "operator", null, "ops", "web", true, CREATED),
                new Binding(ID, "viewer", "bob", null, "db-1", false, CREATED));

        List<String> lines = Output.print(BindingsCommand.table(bindings)).lines().toList();

        assertEquals(List.of("Id", "Role", "To", "On", "Created"), Output.cells(lines.get(0)));
        assertEquals(List.of(ID.toString(), "admin", "user alice", "instance", "2026-11-23T10:00:00Z"),
                Output.cells(lines.get(2)));
        assertEquals("web+members", Output.cells(lines.get(3)).get(3));
        assertEquals("db-1", Output.cells(lines.get(4)).get(3));
    }

    @Test
    void aBindingIdMustBeAUuid() {
        assertEquals(ID, UnbindCommand.uuid(" " + ID + " ", "binding"));
        assertThrows(InvalidRequestException.class, () -> UnbindCommand.uuid("admin", "binding"));
    }
}
