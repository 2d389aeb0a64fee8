package io.hanse.agent.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void cutUtf8CutsBetweenCharactersAsTheyAreWritten() {
        assertEquals("a", Text.cutUtf8("a\uD83D\uDE00", 4));
        assertEquals("a\uD83D\uDE00", Text.cutUtf8("a\uD83D\uDE00", 5));
        // A lone surrogate is written as U+FFFD, three bytes.
        assertEquals("\uFFFD", Text.cutUtf8("\uD800\uD800", 3));
    }
}
