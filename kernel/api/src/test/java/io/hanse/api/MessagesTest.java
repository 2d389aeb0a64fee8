package io.hanse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void aNameIsQuotedWhole() {
        assertEquals("'web-1'", Messages.quote("web-1"));
        assertEquals("''", Messages.quote(""));
        assertEquals("'null'", Messages.quote(null));
        String longestSlug = "a".repeat(63) + "/" + "b".repeat(63);
        assertEquals("'" + longestSlug + "'", Messages.quote(longestSlug));
        assertEquals("'" + "c".repeat(128) + "'", Messages.quote("c".repeat(128)));
    }

    @Test
    void aLongerTextIsShownByItsStartAndItsLength() {
        assertEquals("'" + "a".repeat(128) + "…' (5,000 characters)", Messages.quote("a".repeat(5_000)));
        assertEquals("'" + "c".repeat(128) + "…' (129 characters)", Messages.quote("c".repeat(129)));
    }

    @Test
    void aCharacterBeyondU_FFFFCountsOnceAndIsNotCutInTwo() {
        String emoji = "\uD83D\uDE00";
        assertEquals("'" + emoji.repeat(128) + "'", Messages.quote(emoji.repeat(128)));
        assertEquals("'" + emoji.repeat(128) + "…' (200 characters)", Messages.quote(emoji.repeat(200)));
    }
}
