package io.hanse.kernel.federation.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.testing.TestCaller;
import org.junit.jupiter.api.Test;

class InviteCancelCommandTest {

    @Test
    void anInvitationThatIsNoIdIsRefusedNamingIt() {
        // No federation: a refused command must not reach it.
        InviteCancelCommand cancel = new InviteCancelCommand();
        cancel.invitation = "fra-1";

        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> cancel.execute(TestCaller.everywhere("admin")));

        assertEquals("invitation must be an id such as 0b7e…, not 'fra-1'", refused.getMessage());
    }
}
