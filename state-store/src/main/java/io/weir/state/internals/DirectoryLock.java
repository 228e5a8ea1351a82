package io.weir.state.internals;

import io.weir.state.errors.StateStoreException;
import io.weir.state.errors.StoreDirectoryException;
import io.weir.state.errors.StoreLockedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a store directory, held for the store's lifetime. LMDB would open a second environment on
 * the same files (in this process or another) without complaint, and two writers' views of the map would then
 * disagree; an OS file lock on {@value #FILE_NAME} makes the second open fail instead. The OS releases the lock when
 * the process dies, so a crash never leaves the directory locked.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "weir-store.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreDirectoryException(directory, "cannot open lock file " + file + ": " + e, e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                closeQuietly(channel);
                throw new StoreLockedException(file, "another process");
            }
            return new DirectoryLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new StoreLockedException(file, "another open store in this process");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreDirectoryException(directory, "cannot lock " + file + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            // Already failing with the more useful exception; the channel holds no lock.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StateStoreException("releasing store lock failed: " + e, e);
        }
    }
}
