package dev.shoal.functions.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The launcher's data folder: locked while a launcher uses it (two emulators writing the same
 * files would corrupt them), and holding the receipt secret generated on first start, so that
 * receipts stay valid across restarts.
 */
final class DataDirectory implements AutoCloseable {

    private static final String SECRET_FILE = "receipt-secret";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static DataDirectory open(Path dir) throws IOException {
        Path absolute = Files.createDirectories(dir.toAbsolutePath().normalize());
        FileChannel channel = FileChannel.open(absolute.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("the data folder " + absolute + " is in use by another ./shoal local; stop it or use --data with another folder");
        }
        return new DataDirectory(absolute, channel, lock);
    }

    Path path() {
        return dir;
    }

    /** The receipt secret's text (base64 of 32 random bytes), created on first use. */
    String receiptSecret() throws IOException {
        Path file = dir.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            Path tmp = dir.resolve(SECRET_FILE + ".tmp");
            Files.writeString(tmp, Base64.getEncoder().encodeToString(secret));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's own permissions apply
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readString(file).trim();
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
