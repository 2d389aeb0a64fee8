package io.hanse.kernel.federation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void aFailureWithoutAMessageIsDescribedByItsTypeInWords() {
        assertEquals("connection refused", Failures.described(new ConnectException()),
                "the JDK's clients refuse so without a message");
        assertEquals("closed channel", Failures.described(new ClosedChannelException()));
        assertEquals("timeout", Failures.described(new TimeoutException(" ")), "a blank message is none");
    }

    @Test
    void aFailureWithAMessageIsDescribedByIt() {
        assertEquals("Connection refused: no further information",
                Failures.described(new ConnectException("Connection refused: no further information")));
    }
}
