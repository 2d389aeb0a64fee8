package io.hanse.kernel.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of the embedded database, which holds the federation's private key and the users'
 * password hashes: created readable by its owner only, and made so at start if it is not, with what
 * is in it. Where the file system has no POSIX permissions it is only created.
 */
final class PrivateDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDirectory.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateDirectory() {
    }

    /**
     * Creates the directory with mode 0700, or takes group's and others' permissions away from it and
     * the files in it. Only a directory that was open to others is logged: the files the database
     * creates in it get the process's umask, such as 0644, but no one else can reach them.
     *
     * @return whether the directory was open to other users until now
     * @throws UncheckedIOException if it cannot be created
     */
    static boolean secure(Path directory) {
        try {
            Path parent = directory.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            boolean posix = Files.getFileStore(parent).supportsFileAttributeView("posix");
            if (!Files.isDirectory(directory)) {
                if (posix) {
                    Files.createDirectory(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(directory);
                }
                return false;
            }
            return posix && tighten(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the embedded database's directory " + directory, e);
        }
    }

    private static boolean tighten(Path directory) {
        try {
            boolean open = ownerOnly(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    ownerOnly(file);
                }
            }
            if (open) {
                LOG.warn("The embedded database in {} was readable by other users; it now is by its owner only"
                        + " (mode 0700)", directory);
            }
            return open;
        } catch (IOException e) {
            LOG.warn("Could not make the embedded database in {} readable by its owner only: {}; do it by hand"
                    + " (chmod -R go= {})", directory, e.toString(), directory);
            return false;
        }
    }

    private static boolean ownerOnly(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (!permissions.removeAll(OTHERS)) {
            return false;
        }
        Files.setPosixFilePermissions(path, permissions);
        return true;
    }
}
