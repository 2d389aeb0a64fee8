package io.hanse.kernel.security.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/** What commands print, for assertions. */
final class Output {

    private Output() {
    }

    static String print(ShellTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Returns the cells of one table line, stripped. */
    static List<String> cells(String line) {
        return List.of(line.split("\\|", -1)).stream().map(String::strip).toList();
    }
}
