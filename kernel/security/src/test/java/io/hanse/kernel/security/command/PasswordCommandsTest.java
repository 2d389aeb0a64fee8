package io.hanse.kernel.security.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hanse.api.ForbiddenException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.security.KernelPermissions;
import io.hanse.kernel.security.internal.SecurityManager.User;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordCommandsTest {

    /** A console that answers prompts in turn and remembers what it was asked, and with which mask. */
    private static final class Console implements PasswordPrompt.LineReader {
        final Deque<String> answers;
        final List<String> asked = new ArrayList<>();

        Console(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public String readLine(String prompt, Character mask) {
            asked.add(prompt + "[" + mask + "]");
            return answers.poll();
        }
    }

    @Test
    void aNewPasswordIsAskedTwiceMasked() {
        Console console = new Console("correct horse battery", "correct horse battery");

        char[] password = PasswordPrompt.askNew(console, "New password: ");

        assertArrayEquals("correct horse battery".toCharArray(), password);
        assertEquals(List.of("New password: [*]", "Repeat new password: [*]"), console.asked);
    }

    @Test
    void twoDifferentPasswordsChangeNothing() {
        Console console = new Console("correct horse battery", "correct horse batter");

        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> PasswordPrompt.askNew(console, "Password: "));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }

    @Test
    void anEmptyAnswerOrTheEndOfInputIsNoPassword() {
        assertThrows(InvalidRequestException.class, () -> PasswordPrompt.ask(new Console(""), "Password: "));
        assertThrows(InvalidRequestException.class, () -> PasswordPrompt.ask(new Console(), "Password: "));
    }

    @Test
    void settingSomeoneElsesPasswordNeedsSecurityWriteAndAsksNothingFirst() {
        Console console = new Console("anything at all 1", "anything at all 1");
        PasswordCommand command = new PasswordCommand() {
            @Override
            PasswordPrompt.LineReader console() {
                return console;
            }
        };
        command.user = "bob";

        assertThrows(ForbiddenException.class,
                () -> command.execute(ShellUsers.holding("alice", KernelPermissions.SELF_MANAGE)));
        assertEquals(List.of(), console.asked);
    }

    @Test
    void aUserGetsEitherAPasswordOrNone() {
        UserAddCommand command = new UserAddCommand();
        command.name = "carol";
        command.password = "correct horse battery";
        command.noPassword = true;

        assertThrows(InvalidRequestException.class,
                () -> command.execute(ShellUsers.holding("root", KernelPermissions.SECURITY_WRITE)));
    }

    @Test
    void aUserWithoutPasswordIsToldHowItLogsIn() {
        User carol = new User("carol", false, "Carol", false, false, Instant.EPOCH, List.of());
        User ci = new User("ci", true, "", false, false, Instant.EPOCH, List.of());

        assertEquals("Created user carol. Grant it a role with security:bind --user carol ROLE",
                UserAddCommand.created(carol, true));
        assertTrue(UserAddCommand.created(ci, false).startsWith("Created service principal ci without a password: "
                + "it logs in with SSH keys (security:key-add) or API tokens (security:token-create)"));
    }

    @Test
    void enableAndDisableExcludeEachOther() {
        UserSetCommand command = new UserSetCommand();
        command.disable = true;
        command.enable = true;

        assertThrows(InvalidRequestException.class, command::disabled);
        command.enable = false;
        assertEquals(Boolean.TRUE, command.disabled());
        command.disable = false;
        assertNull(command.disabled());
    }
}
