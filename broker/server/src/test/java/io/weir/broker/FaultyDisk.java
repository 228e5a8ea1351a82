package io.weir.broker;

import io.weir.broker.internals.log.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A {@link FileChannelFactory} over the real file system whose channels, renames and deletions fail one kind of
 * operation on chosen files once {@link #fail armed}: the disk of a storage-failure test. A rename is matched by
 * its source. Every other operation goes to the real file.
 *
 * <p>A failed {@code force} of a file also loses what the kernel may drop after a writeback error: the file is
 * cut back to its length at its last successful {@code force} (or when this disk first opened it, for a file
 * that was there before), so a reopen sees only what was synced, and a recovery point moved past the dropped
 * tail shows as lost acknowledged records. This models lost appended bytes only: an overwrite below that
 * length (an index rewritten in place) stays, and a failed sync of a directory drops none of its entries.
 * Thread-safe: the broker's threads open and use channels while the test arms and heals.
 */
public final class FaultyDisk implements FileChannelFactory {
    /** The operation that fails. */
    public enum Op {
        OPEN,
        WRITE,
        FORCE,
        RENAME,
        DELETE
    }

    private volatile Op op;
    private volatile Predicate<Path> files = path -> false;
    private volatile boolean once;
    private volatile Runnable beforeFailing = () -> {};
    /** False for {@link #holdOnce}: the operation runs {@code beforeFailing}, then goes to the real file. */
    private volatile boolean throwing = true;

    private final List<Path> failed = new ArrayList<>();
    /** Bytes read through this disk's channels, per file: what a test of how much an open reads counts. */
    private final Map<Path, java.util.concurrent.atomic.LongAdder> bytesRead = new ConcurrentHashMap<>();
    /** Per regular file, its length at its last successful force: what a failed force leaves of it. */
    private final Map<Path, Long> syncedLength = new ConcurrentHashMap<>();

    /** From now on, {@code op} on a file matching {@code which} throws an IOException. */
    public void fail(Op op, Predicate<Path> which) {
        arm(op, which, false, () -> {});
    }

    /**
     * The next {@code op} on a file matching {@code which} runs {@code beforeFailing} on the failing thread (a
     * test holds it there), then throws; later ones succeed, as a second fsync after a writeback error does.
     */
    public void failOnce(Op op, Predicate<Path> which, Runnable beforeFailing) {
        arm(op, which, true, beforeFailing);
    }

    /**
     * The next {@code op} on a file matching {@code which} runs {@code whileHeld} on its thread (a test holds it
     * there, as a slow fsync would), then goes to the real file and succeeds unless the file was closed meanwhile.
     */
    public void holdOnce(Op op, Predicate<Path> which, Runnable whileHeld) {
        arm(op, which, true, whileHeld, false);
    }

    private void arm(Op op, Predicate<Path> which, boolean once, Runnable beforeFailing) {
        arm(op, which, once, beforeFailing, true);
    }

    private void arm(Op op, Predicate<Path> which, boolean once, Runnable beforeFailing, boolean throwing) {
        this.throwing = throwing;
        this.files = which;
        this.once = once;
        this.beforeFailing = beforeFailing;
        this.op = op;
    }

    /** No more failures. */
    public void heal() {
        this.op = null;
    }

    /**
     * Each regular file's length at its last successful {@code force}, now: what a power loss at this instant
     * would leave of its appended bytes (in this disk's model).
     */
    public Map<Path, Long> syncedLengths() {
        return Map.copyOf(syncedLength);
    }

    /**
     * A power loss, after the broker's channels are closed: cuts every file this disk opened back to its length at
     * its last successful {@code force} (a file never synced since its creation to empty), as {@link
     * #syncedLengths} says. Directory entries are kept (this disk does not model them).
     */
    public void loseUnsynced() throws IOException {
        for (Map.Entry<Path, Long> e : syncedLength.entrySet()) {
            Path path = e.getKey();
            if (Files.isRegularFile(path) && Files.size(path) > e.getValue()) {
                try (FileChannel writable = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    writable.truncate(e.getValue());
                }
            }
        }
    }

    /** The bytes read so far from the files matching {@code which}, through any channel of this disk. */
    public long bytesRead(Predicate<Path> which) {
        long total = 0;
        for (Map.Entry<Path, java.util.concurrent.atomic.LongAdder> e : bytesRead.entrySet()) {
            if (which.test(e.getKey())) {
                total += e.getValue().sum();
            }
        }
        return total;
    }

    /** Forgets the bytes counted by {@link #bytesRead}. */
    public void resetBytesRead() {
        bytesRead.clear();
    }

    private <T extends Number> T counted(Path path, T read) {
        if (read.longValue() > 0) {
            bytesRead
                    .computeIfAbsent(path, p -> new java.util.concurrent.atomic.LongAdder())
                    .add(read.longValue());
        }
        return read;
    }

    /** The files an injected failure hit, in order. */
    public synchronized List<Path> failed() {
        return List.copyOf(failed);
    }

    private void maybeFail(Op attempted, Path path) throws IOException {
        if (op != attempted || !files.test(path)) {
            return;
        }
        boolean throwing;
        Runnable hold;
        synchronized (this) {
            throwing = this.throwing;
            hold = this.beforeFailing;
            if (op != attempted) {
                return; // a failOnce another thread took first
            }
            if (once) {
                op = null;
            }
            if (throwing) {
                failed.add(path);
            }
        }
        hold.run();
        if (!throwing) {
            return;
        }
        throw new IOException("injected " + attempted + " failure on " + path);
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        maybeFail(Op.OPEN, path);
        boolean existed = Files.exists(path);
        FileChannel file = FileChannel.open(path, options);
        if (Files.isRegularFile(path)) {
            if (!existed || Arrays.asList(options).contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                syncedLength.put(path, 0L);
            } else {
                syncedLength.putIfAbsent(path, file.size()); // there before: taken as synced
            }
        }
        return new Channel(path, file);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        maybeFail(Op.RENAME, source);
        FileChannelFactory.super.rename(source, target);
        Long synced = syncedLength.remove(source);
        if (synced != null) {
            syncedLength.put(target, synced);
        } else {
            syncedLength.remove(target);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        maybeFail(Op.DELETE, path);
        FileChannelFactory.super.delete(path);
        syncedLength.remove(path);
    }

    /** A real channel whose writes and syncs first ask whether to fail. */
    private final class Channel extends FileChannel {
        private final Path path;
        private final FileChannel file;

        Channel(Path path, FileChannel file) {
            this.path = path;
            this.file = file;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return counted(path, file.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return counted(path, file.read(dsts, offset, length));
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return counted(path, file.read(dst, position));
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            maybeFail(Op.WRITE, path);
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            maybeFail(Op.WRITE, path);
            return file.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            maybeFail(Op.WRITE, path);
            return file.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            try {
                maybeFail(Op.FORCE, path);
            } catch (IOException e) {
                dropUnsyncedTail();
                throw e;
            }
            // What was written before the force began is what it makes durable.
            long covered = Files.isRegularFile(path) ? file.size() : -1;
            file.force(metaData);
            if (covered >= 0) {
                syncedLength.put(path, covered);
            }
        }

        /** What the kernel may drop after a writeback error: everything past the last successful force. */
        private void dropUnsyncedTail() throws IOException {
            Long synced = syncedLength.get(path);
            if (synced == null || !Files.isRegularFile(path) || file.size() <= synced) {
                return;
            }
            try (FileChannel writable = FileChannel.open(path, StandardOpenOption.WRITE)) {
                writable.truncate(synced);
            }
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            maybeFail(Op.WRITE, path);
            return file.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
