package io.hanse.api;

import java.util.Locale;

/** How the messages of this package's exceptions name what a caller sent. */
public final class Messages {

    /** The longest text quoted whole: longer than any slug (at most 127 characters) or other name Hanse keeps. */
    private static final int WHOLE = 128;

    private Messages() {
    }

    /**
     * Returns the text in single quotes, such as {@code 'web-1'}, for a message that names a value a
     * caller sent; {@code null} is {@code 'null'}. Text longer than 128 characters, which can be no
     * name Hanse keeps, is shown by its first 128 and its length, such as
     * {@code 'aaaa…' (5,000 characters)}, so that an answer or a log line does not repeat all of it.
     */
    public static String quote(String text) {
        String value = String.valueOf(text);
        int length = value.codePointCount(0, value.length());
        return length <= WHOLE ? "'" + value + "'" : "'" + value.substring(0, value.offsetByCodePoints(0, WHOLE))
                + "…' (" + String.format(Locale.ROOT, "%,d", length) + " characters)";
    }
}
