package io.hanse.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small shell scripts that tests configure as checks and work handlers. */
public final class Scripts {

    private Scripts() {
    }

    /** Writes an executable {@code /bin/sh} script with {@code body} and returns its path. */
    public static Path write(Path directory, String name, String body) {
        try {
            Files.createDirectories(directory);
            Path script = directory.resolve(name);
            Files.writeString(script, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
