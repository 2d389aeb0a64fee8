package io.hanse.kernel.federation.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hanse.api.InvalidRequestException;
import io.hanse.testing.TestCaller;
import org.junit.jupiter.api.Test;

class PeerSetCommandTest {

    @Test
    void aUrlWithoutDialIsRefusedSayingItGoesWithDialAndChangesNothing() {
        // No federation: a refused command must not reach it.
        PeerSetCommand set = new PeerSetCommand();
        set.peer = "fra";
        set.url = "https://fra.example.org";

        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> set.execute(TestCaller.everywhere("admin")));

        assertEquals("--url goes with --dial: --dial out --url https://fra.example.org to dial the peer there",
                refused.getMessage());
    }

    @Test
    void nothingToChangeNamesTheOptionsWithUrlAmongThem() {
        PeerSetCommand set = new PeerSetCommand();
        set.peer = "fra";

        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> set.execute(TestCaller.everywhere("admin")));

        assertEquals("say what to change: --suspend, --resume or --dial (out, with --url to dial a new URL, or in)",
                refused.getMessage());
    }
}
