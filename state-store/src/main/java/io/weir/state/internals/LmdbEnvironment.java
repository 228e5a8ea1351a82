package io.weir.state.internals;

import io.weir.state.StoreConfig;
import io.weir.state.StoreState;
import io.weir.state.SyncMode;
import io.weir.state.errors.MapResizeBlockedException;
import io.weir.state.errors.StateStoreException;
import io.weir.state.errors.StoreClosedException;
import io.weir.state.errors.StoreDirectoryException;
import io.weir.state.errors.StoreIOException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * One LMDB environment per store directory: a {@code data} database, a {@code meta} database holding the
 * checkpoint, the directory lock, a pool of read transactions, and map growth.
 *
 * <h2>Threading model</h2>
 * LMDB allows one write transaction per environment at a time, bound to the thread that began it. Write
 * transactions here live only inside {@link #write}, which runs start to finish on the caller's thread under
 * {@code writeLock} — there is never a write transaction open between calls, so no thread affinity leaks out.
 * Read transactions are opened with {@code MDB_NOTLS}, which ties a reader slot to the transaction instead of the
 * thread: a thread may hold several (an iterator and a get), and an iterator's transaction may be released by a
 * thread other than the one that opened it. Each thread caches one reset transaction (see {@link #acquireReadTxn}).
 *
 * <h2>The gate, and why the map can grow</h2>
 * {@code mdb_env_set_map_size} remaps the file; any transaction active in this process at that moment would read
 * unmapped memory. Every use of the environment (a get, a write, an open iterator for its whole life) holds a read
 * stamp of {@code gate}; growing and closing hold its write stamp. Growth takes the write stamp with
 * {@code tryWriteLock} in a loop rather than a queued {@code writeLock}, so that a thread holding an iterator and
 * reading again is never parked behind the waiting grower (which would deadlock). When a write fails with
 * {@code MDB_MAP_FULL} the transaction is aborted, the map doubled, and the whole write replayed from its source
 * (the pending writes, or the restore batch), which are only discarded once the transaction commits — so the
 * write in progress is never lost.
 */
final class LmdbEnvironment {
    private static final byte[] CHECKPOINT_KEY = "checkpoint".getBytes(StandardCharsets.US_ASCII);
    /** Each cached transaction holds an LMDB reader slot for good; leave most slots to iterators. */
    private static final int MAX_CACHED_READ_TXNS = 32;
    /** Up to this length {@link #copy} reads longs rather than calling the bulk copy. */
    private static final int SMALL_COPY_BYTES = 64;
    /** Write a long into a byte array in the order the map buffer's {@code getLong} read it: the bytes as they are. */
    private static final VarHandle LONGS_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final VarHandle LONGS_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final Path directory;
    private final String store;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> data;
    private final Dbi<ByteBuffer> meta;
    private final DirectoryLock lock;
    private final StoreConfig config;
    private final StoreLifecycle lifecycle;
    private final StampedLock gate = new StampedLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ThreadLocal<ReaderSlot> readerSlots = ThreadLocal.withInitial(() -> new ReaderSlot(null, true));
    private final Set<ReaderSlot> cachedSlots = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<ByteBuffer> keyBuffers;
    private final int maxKeySize;
    private volatile boolean closed;
    private long mapSize;

    private LmdbEnvironment(
            String store,
            Path directory,
            DirectoryLock lock,
            Env<ByteBuffer> env,
            StoreConfig config,
            StoreLifecycle lifecycle) {
        this.store = store;
        this.directory = directory;
        this.lock = lock;
        this.env = env;
        this.config = config;
        this.lifecycle = lifecycle;
        this.data = env.openDbi("data", DbiFlags.MDB_CREATE);
        this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE);
        this.maxKeySize = env.getMaxKeySize();
        this.keyBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(maxKeySize));
        this.mapSize = env.info().mapSize;
    }

    /**
     * Opens (creating if needed) the environment in {@code directory}.
     *
     * @throws StoreDirectoryException                           if the directory is unusable
     * @throws io.weir.state.errors.StoreLockedException         if another store holds it
     * @throws io.weir.state.errors.CorruptCheckpointException   if the checkpoint cannot be decoded
     */
    static LmdbEnvironment open(String store, Path directory, StoreConfig config, StoreLifecycle lifecycle) {
        prepare(directory);
        DirectoryLock lock = DirectoryLock.acquire(directory);
        Env<ByteBuffer> env = null;
        LmdbEnvironment opened = null;
        try {
            List<EnvFlags> flags = new ArrayList<>(List.of(EnvFlags.MDB_NOTLS));
            if (config.syncMode() == SyncMode.NO_SYNC) {
                flags.add(EnvFlags.MDB_NOSYNC);
            }
            env = Env.create()
                    .setMapSize(config.mapSizeBytes())
                    .setMaxDbs(2)
                    .setMaxReaders(config.maxReaders())
                    .open(directory.toFile(), flags.toArray(new EnvFlags[0]));
            opened = new LmdbEnvironment(store, directory, lock, env, config, lifecycle);
            opened.readCheckpoint();
            return opened;
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            } else {
                if (env != null) {
                    env.close();
                }
                lock.close();
            }
            if (e instanceof LmdbException) {
                throw new StoreIOException(directory, "opening the LMDB environment", e);
            }
            throw e;
        }
    }

    private static void prepare(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new StoreDirectoryException(directory, "exists but is not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreDirectoryException(directory, "cannot be created: " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new StoreDirectoryException(directory, "is not writable by this process");
        }
    }

    int maxKeySize() {
        return maxKeySize;
    }

    long mapSize() {
        return mapSize;
    }

    Dbi<ByteBuffer> data() {
        return data;
    }

    /** Enters the gate as a reader; pair with {@link #exitRead}. */
    long enterRead() {
        long stamp = gate.readLock();
        if (closed) {
            gate.unlockRead(stamp);
            throw new StoreClosedException(store, StoreState.CLOSED);
        }
        return stamp;
    }

    void exitRead(long stamp) {
        gate.unlockRead(stamp);
    }

    /**
     * A read transaction, ready to use. Call inside the gate; pair with {@link #releaseReadTxn}, which any thread may
     * call. Each thread keeps one reset transaction for reuse (a reset {@code MDB_NOTLS} transaction renews in a
     * couple of hundred nanoseconds, without the allocation and reader-slot search of a new one); a thread that
     * already uses its own — an open iterator and a get — gets a fresh one, closed on release.
     */
    ReaderSlot acquireReadTxn() {
        ReaderSlot slot = readerSlots.get();
        if (slot.inUse) {
            return new ReaderSlot(env.txnRead(), false);
        }
        if (slot.txn == null) {
            if (cachedSlots.size() >= MAX_CACHED_READ_TXNS) {
                return new ReaderSlot(env.txnRead(), false);
            }
            slot.txn = env.txnRead();
            cachedSlots.add(slot);
        } else {
            slot.txn.renew();
        }
        slot.inUse = true;
        return slot;
    }

    void releaseReadTxn(ReaderSlot slot) {
        if (slot.cached) {
            slot.txn.reset();
            slot.inUse = false;
        } else {
            slot.txn.close();
        }
    }

    /** A read transaction and whether it is a thread's cached one. */
    static final class ReaderSlot {
        Txn<ByteBuffer> txn;
        final boolean cached;
        /** Written by the releasing thread, read by the owning one; volatile to hand the slot back. */
        volatile boolean inUse;

        ReaderSlot(Txn<ByteBuffer> txn, boolean cached) {
            this.txn = txn;
            this.cached = cached;
        }
    }

    /** The calling thread's direct buffer holding {@code key}, valid until its next call. */
    ByteBuffer keyBuffer(byte[] key) {
        ByteBuffer b = keyBuffers.get();
        b.clear();
        b.put(key).flip();
        return b;
    }

    /**
     * The bytes of {@code b} (a key or value in the map) as a new array. Entries up to {@value #SMALL_COPY_BYTES}
     * bytes are copied eight at a time with plain reads: the bulk {@code ByteBuffer.get} copy's checks cost more than
     * the copy itself for the short keys and values of window stores and counts (WindowFetchBenchmark's profile).
     */
    static byte[] copy(ByteBuffer b) {
        int n = b.remaining();
        byte[] out = new byte[n];
        int from = b.position();
        if (n > SMALL_COPY_BYTES) {
            b.get(from, out);
            return out;
        }
        VarHandle longs = b.order() == ByteOrder.BIG_ENDIAN ? LONGS_BE : LONGS_LE;
        int i = 0;
        for (; i + Long.BYTES <= n; i += Long.BYTES) {
            longs.set(out, i, b.getLong(from + i));
        }
        for (; i < n; i++) {
            out[i] = b.get(from + i);
        }
        return out;
    }

    /**
     * Runs {@code body} in one write transaction and commits it, growing the map and replaying {@code body} from
     * the start as often as LMDB reports the map full. {@code body} must be repeatable.
     */
    void write(Consumer<Txn<ByteBuffer>> body) {
        writeLock.lock();
        try {
            while (true) {
                long stamp = enterRead();
                try (Txn<ByteBuffer> txn = env.txnWrite()) {
                    body.accept(txn);
                    txn.commit();
                    return;
                } catch (Env.MapFullException full) {
                    // fall through to grow, outside the gate; the aborted transaction changed nothing
                } catch (LmdbException e) {
                    throw new StoreIOException(directory, "write transaction", e);
                } finally {
                    exitRead(stamp);
                }
                grow();
            }
        } finally {
            writeLock.unlock();
        }
    }

    void putCheckpoint(Txn<ByteBuffer> txn, long offset) {
        byte[] encoded = CheckpointCodec.encode(offset);
        meta.reserve(txn, keyBuffer(CHECKPOINT_KEY), encoded.length).put(encoded);
    }

    OptionalLong readCheckpoint() {
        long stamp = enterRead();
        try {
            ReaderSlot slot = acquireReadTxn();
            try {
                ByteBuffer raw = meta.get(slot.txn, keyBuffer(CHECKPOINT_KEY));
                return raw == null
                        ? OptionalLong.empty()
                        : OptionalLong.of(CheckpointCodec.decode(directory, copy(raw)));
            } finally {
                releaseReadTxn(slot);
            }
        } finally {
            exitRead(stamp);
        }
    }

    private void grow() {
        int mine = lifecycle.openIteratorsOf(Thread.currentThread());
        if (mine > 0) {
            throw new MapResizeBlockedException(
                    directory,
                    mine + " iterator(s) opened by the committing thread "
                            + "are still open (growing needs every read transaction closed)");
        }
        if (mapSize >= config.maxMapSizeBytes()) {
            throw new MapResizeBlockedException(
                    directory,
                    "map size " + mapSize + " reached " + StoreConfig.MAX_MAP_SIZE_BYTES + "="
                            + config.maxMapSizeBytes());
        }
        long target = Math.min(config.maxMapSizeBytes(), mapSize * 2);
        long deadline = lifecycle.time().nanoseconds() + config.closeGrace().toNanos();
        long stamp;
        while ((stamp = gate.tryWriteLock()) == 0L) {
            if (lifecycle.time().nanoseconds() - deadline > 0) {
                throw new MapResizeBlockedException(
                        directory,
                        lifecycle.openIterators() + " iterator(s) stayed open longer than "
                                + StoreConfig.CLOSE_GRACE_MS);
            }
            LockSupport.parkNanos(100_000);
        }
        try {
            drainReadPool();
            env.setMapSize(target);
            mapSize = env.info().mapSize;
        } catch (LmdbException e) {
            throw new StoreIOException(directory, "growing the map to " + target + " bytes", e);
        } finally {
            gate.unlockWrite(stamp);
        }
    }

    /**
     * Frees the threads' cached transactions; called under the gate's write stamp, when none is in use. They are
     * reset, and lmdbjava frees a transaction only from the ready state, hence renew first.
     */
    private void drainReadPool() {
        for (ReaderSlot slot : cachedSlots) {
            if (slot.txn != null) {
                slot.txn.renew();
                slot.txn.close();
                slot.txn = null;
            }
        }
        cachedSlots.clear();
    }

    long count() {
        long stamp = enterRead();
        try {
            ReaderSlot slot = acquireReadTxn();
            try {
                return data.stat(slot.txn).entries;
            } finally {
                releaseReadTxn(slot);
            }
        } finally {
            exitRead(stamp);
        }
    }

    /** Waits for in-flight reads, then closes the environment and releases the directory lock. */
    void close() {
        long stamp = gate.writeLock();
        if (closed) {
            gate.unlockWrite(stamp);
            return;
        }
        closed = true;
        try {
            drainReadPool();
            env.close();
        } catch (LmdbException e) {
            throw new StateStoreException("closing LMDB environment in " + directory + " failed: " + e, e);
        } finally {
            gate.unlockWrite(stamp);
            lock.close();
        }
    }
}
