package io.hanse.kernel.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {

    @TempDir
    Path data;

    @BeforeEach
    void posix() throws Exception {
        assumeTrue(Files.getFileStore(data).supportsFileAttributeView("posix"), "no POSIX permissions here");
    }

    @Test
    void theDirectoryIsCreatedForItsOwnerOnly() throws Exception {
        Path directory = data.resolve("deep/hanse");

        PrivateDirectory.secure(directory);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }

    @Test
    void anExistingDirectoryAndItsFilesAreMadeTheirOwnersOnly() throws Exception {
        Path directory = Files.createDirectory(data.resolve("hanse"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path database = Files.createFile(directory.resolve("hanse.mv.db"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));

        assertTrue(PrivateDirectory.secure(directory), "was open to others");

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(database)));
    }

    @Test
    void filesTheDatabaseMadeWithTheUmaskInTheClosedDirectoryAreMadeTheOwnersOnlyQuietly() throws Exception {
        Path directory = data.resolve("hanse");
        assertFalse(PrivateDirectory.secure(directory), "created");
        Path database = Files.createFile(directory.resolve("hanse.mv.db"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));

        assertFalse(PrivateDirectory.secure(directory), "no one else could reach the file: nothing to warn of");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(database)));
    }
}
