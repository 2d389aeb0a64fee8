package io.hanse.kernel.federation.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.kernel.federation.rest.FederationResource.DialInput;
import io.hanse.kernel.federation.rest.FederationResource.GrantInput;
import io.hanse.testing.TestCaller;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FederationResourceTest {

    @Test
    void settingHowAPeerIsDialedWithoutDialOutIsRefusedNamingItAndChangesNothing() {
        // No federation: a refused request must not reach it.
        FederationResource resource = new FederationResource(null);

        for (DialInput input : new DialInput[] {new DialInput(null, null),
                new DialInput(null, "https://fra.example.org")}) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> resource.dial("fra", input, TestCaller.everywhere("admin")), input.toString());
            assertEquals("dialOut is required: true for this instance to dial the peer, false to wait for the peer"
                    + " to dial", refused.getMessage());
        }
    }

    @Test
    void aGrantWithANullActionIsRefusedNamingItsIndexAndChangesNothing() {
        // No federation: a refused request must not reach it.
        FederationResource resource = new FederationResource(null);
        GrantInput input = new GrantInput("ber", "db", null, Arrays.asList("monitoring.ack", null), null);

        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> resource.grant(input, TestCaller.everywhere("admin")));

        assertEquals("actions[1] is null", refused.getMessage());
    }
}
