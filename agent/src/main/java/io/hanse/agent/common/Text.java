package io.hanse.agent.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Limits on text: cutting to a byte budget and making untrusted text safe to print. */
public final class Text {

    private static final byte[] REPLACEMENT = "\uFFFD".getBytes(StandardCharsets.UTF_8);

    private Text() {
    }

    /**
     * Returns {@code text} cut to at most {@code maxBytes} bytes of UTF-8 as {@link #utf8} writes it,
     * never in the middle of a character.
     */
    public static String cutUtf8(String text, int maxBytes) {
        byte[] bytes = utf8(text);
        if (bytes.length <= maxBytes) {
            return text;
        }
        // A character cut in half at the end is malformed input; IGNORE drops exactly that tail.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.IGNORE)
                .onUnmappableCharacter(CodingErrorAction.IGNORE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, maxBytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a decoder that ignores errors reported one", e);
        }
    }

    /**
     * Returns the text as UTF-8 with each lone surrogate (half of a pair, which UTF-8 cannot encode)
     * as U+FFFD; {@link String#getBytes} would write {@code ?}, one byte where U+FFFD takes three.
     */
    static byte[] utf8(String text) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .replaceWith(REPLACEMENT);
        try {
            ByteBuffer encoded = encoder.encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("an encoder that replaces errors reported one", e);
        }
    }

    /**
     * Returns untrusted text (from the server, a file or a child process) fit for one log or
     * terminal line: control characters become {@code ?} and the text is cut to {@code maxChars}.
     */
    public static String printable(String text, int maxChars) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars + 1));
        for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
        }
        if (text.length() > maxChars) {
            out.append('…');
        }
        return out.toString();
    }
}
