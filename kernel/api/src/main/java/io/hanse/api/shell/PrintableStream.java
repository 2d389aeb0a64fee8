package io.hanse.api.shell;

import java.io.PrintStream;

/**
 * Prints to a command's console what {@link ShellText#printable(String)} makes of the text. Text goes
 * to the console as text, so that the console encodes it as before; numbers and line ends, which hold
 * no control character, take {@link PrintStream}'s own path. Bytes written as such are passed on but
 * for their C0 control bytes and DEL, which are the same bytes in every encoding a terminal uses.
 */
final class PrintableStream extends PrintStream {

    private final PrintStream console;

    PrintableStream(PrintStream console) {
        super(console, true);
        this.console = console;
    }

    /** Returns whether this stream prints to that console. */
    boolean printsTo(PrintStream stream) {
        return console == stream;
    }

    @Override
    public void print(String text) {
        console.print(ShellText.printable(String.valueOf(text)));
    }

    @Override
    public void print(Object value) {
        print(String.valueOf(value));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void print(char[] text) {
        print(new String(text));
    }

    @Override
    public void write(int b) {
        console.write(printable(b) ? b : '?');
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        byte[] safe = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b = bytes[offset + i];
            // A carriage return before a line feed ends a line where the line separator is CRLF.
            boolean lineEnd = b == '\r' && i + 1 < length && bytes[offset + i + 1] == '\n';
            safe[i] = printable(b) || lineEnd ? b : (byte) '?';
        }
        console.write(safe, 0, length);
    }

    private static boolean printable(int b) {
        int c = b & 0xff;
        return c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f);
    }
}
