package io.hanse.agent.common;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Limits on text: cutting to a byte budget and making untrusted text safe to print. */
public final class Text {

    private Text() {
    }

    /**
     * Returns {@code text} cut to at most {@code maxBytes} bytes of UTF-8, never in the middle of a
     * character.
     */
    public static String cutUtf8(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
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
