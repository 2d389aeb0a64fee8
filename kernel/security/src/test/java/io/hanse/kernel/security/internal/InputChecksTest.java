package io.hanse.kernel.security.internal;

import static io.hanse.api.security.KernelPermissions.AUDIT_READ;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT;
import static io.hanse.kernel.security.internal.SecurityFixture.ROOT_CALLER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.NotFoundException;
import io.hanse.api.security.Caller;
import io.hanse.kernel.store.AuditEntry;
import io.hanse.kernel.store.StoredBinding;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Input that would fail deep down, or in the database, is a 400 or a 404 naming what is wrong. */
class InputChecksTest {

    private final SecurityFixture fixture = new SecurityFixture();
    private final SecurityManager manager = fixture.manager;

    @BeforeEach
    void users() {
        fixture.systems.add("web");
        fixture.systems.add("secret");
        fixture.user("vic");
    }

    private static String text(int length) {
        return "x".repeat(length);
    }

    private static String message(Class<? extends RuntimeException> type, Runnable call) {
        return assertThrows(type, call::run).getMessage();
    }

    @Test
    void aBindingWithoutARoleNamesTheField() {
        assertEquals("role is required: the role to grant",
                message(InvalidRequestException.class, () -> manager.bind(null, "vic", null, null, true, ROOT_CALLER)));
    }

    @Test
    void aTokenRoleOrSystemThatIsNullIsRefused() {
        Set<String> roles = new HashSet<>(Arrays.asList("viewer", null));
        Set<String> systems = new HashSet<>(Arrays.asList("web", null));

        assertEquals("roles names 1 to 25 roles, none of them null", message(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "vic", "x", roles, null, null)));
        assertEquals("systems names systems, none of them null", message(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "vic", "x", null, systems, null)));
    }

    @Test
    void aTokenCarriesAtMostAsManyRolesAsItsStoredListHolds() {
        Set<String> roles = IntStream.range(0, SecurityManager.MAX_TOKEN_ROLES + 1)
                .mapToObj(i -> "r" + i + text(62)).collect(Collectors.toSet());

        assertThrows(InvalidRequestException.class,
                () -> manager.createToken(ROOT_CALLER, "vic", "x", roles, null, null));
    }

    @Test
    void textLongerThanTheStoreKeepsNamesTheFieldAndTheLimit() {
        assertEquals("displayName is at most 200 characters long, not 201", message(InvalidRequestException.class,
                () -> manager.addUser("ann", text(201), false, null, ROOT)));
        assertEquals("displayName is at most 200 characters long, not 201", message(InvalidRequestException.class,
                () -> manager.updateUser("vic", text(201), null, ROOT_CALLER)));
        assertEquals("description is at most 1000 characters long, not 1001", message(InvalidRequestException.class,
                () -> manager.addGroup("ops", text(1001), ROOT)));
        assertEquals("description is at most 1000 characters long, not 1001", message(InvalidRequestException.class,
                () -> manager.saveRole("auditor", text(1001), Set.of(AUDIT_READ), true, ROOT_CALLER)));

        manager.addUser("ann", text(200), false, null, ROOT);
        manager.addGroup("ops", text(1000), ROOT);
        manager.saveRole("auditor", text(1000), Set.of(AUDIT_READ), true, ROOT_CALLER);
        assertEquals(List.of(), fixture.store.audit.stream().filter(e -> e.action().endsWith("-refused")).toList());
    }

    @Test
    void aNameLongerThanAnyThatCanExistIsNotRepeatedWholeInTheAnswer() {
        String named = "'" + text(128) + "…' (5,000 characters)";
        manager.addGroup("ops", null, ROOT);

        assertEquals("no user " + named, message(NotFoundException.class, () -> manager.user(text(5_000))));
        assertEquals("no users 'ann', " + named, message(NotFoundException.class,
                () -> manager.changeMembers("ops", List.of("ann", text(5_000)), true, ROOT_CALLER)));
        assertEquals("no system " + named, message(NotFoundException.class,
                () -> manager.createToken(ROOT_CALLER, "vic", "x", null, Set.of(text(5_000)), null)));
    }

    @Test
    void aSystemDeletedWhileItIsBoundIsNoSystem() {
        fixture.store.beforeNextWrite(() -> fixture.store.systemDeleted(fixture.systems.remove("web").id()));

        assertEquals("no system 'web'", message(NotFoundException.class,
                () -> manager.bind("viewer", "vic", null, "web", true, ROOT_CALLER)));
        assertEquals(List.of(), manager.bindings());
    }

    @Test
    void aTokensSystemsAreOnesTheCallerMaySeeAndAnyOtherIsAsUnknown() {
        fixture.bind("viewer", "vic", "web", true);
        Caller vic = fixture.login("vic");

        assertEquals("no system 'secret'", message(NotFoundException.class,
                () -> manager.createToken(vic, "vic", "x", null, Set.of("secret"), null)));
        assertEquals("no system 'nope'", message(NotFoundException.class,
                () -> manager.createToken(vic, "vic", "x", null, Set.of("nope"), null)));
        assertEquals(List.of("web"), manager.createToken(vic, "vic", "x", null, Set.of("web"), null).token()
                .systems());
    }

    @Test
    void onTheWholeInstanceIncludeMembersMakesNoDifference() {
        assertThrows(InvalidRequestException.class, () -> manager.bind("viewer", "vic", null, null, false,
                ROOT_CALLER));
        // Stored before that was refused.
        fixture.store.insertBinding(new StoredBinding(UUID.randomUUID(), "viewer", fixture.store.principal("vic").id(),
                null, null, false, fixture.clock.instant()), new AuditEntry(ROOT, "binding.create", "x", null, null));
        SecurityManager restarted = fixture.restart();

        assertThrows(ConflictException.class, () -> restarted.bind("viewer", "vic", null, null, true, ROOT_CALLER));
        assertEquals(1, restarted.bindings().size());
    }

    @Test
    void aChangedRoleKeepsItsDescriptionWhenNoneIsGiven() {
        manager.saveRole("auditor", "Reads the audit log", Set.of(AUDIT_READ), true, ROOT_CALLER);

        manager.saveRole("auditor", null, Set.of(AUDIT_READ), false, ROOT_CALLER);
        assertEquals("Reads the audit log", manager.role("auditor").description());
        manager.saveRole("auditor", "", Set.of(AUDIT_READ), false, ROOT_CALLER);
        assertEquals("", manager.role("auditor").description(), "an empty one empties it");
    }
}
