package io.weir.broker.internals.log;

import io.weir.broker.CleanerConfig;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.utils.Time;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's log cleaner (Kafka's LogCleaner and LogCleanerManager): {@code log.cleaner.threads} threads
 * that each, in a loop, take the compacted log with the highest dirty ratio at or above its
 * {@code min.cleanable.dirty.ratio} (or one whose oldest dirty record passed {@code max.compaction.lag.ms}),
 * run one {@link Cleaner} pass on it, and record its new first dirty offset in
 * {@code cleaner-offset-checkpoint}, so that progress survives a restart. A thread with nothing to clean
 * waits {@code log.cleaner.backoff.ms}.
 *
 * <p>A log is cleaned by one thread at a time. {@link #pauseAndWait} keeps the cleaner off a log (topic
 * deletion), waiting for a pass in progress to stop. A log whose pass fails on corrupt data or a map too
 * small for one batch is marked uncleanable and left alone until the broker restarts; nothing in it is lost.
 *
 * <p>Storage failures follow the directory's rule ({@link LogDirFailureChannel}): a failed write or sync of a
 * cleaned segment, a swap or the checkpoint takes the directory offline, and an offline directory's logs are
 * no longer cleaned. The segments a swap replaces go to the directory's {@link SegmentDeleter}.
 *
 * <p>Threading: the bookkeeping is guarded by {@code lock}; passes run outside it. Lock order: this
 * cleaner's lock, then a log's.
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    private final CleanerConfig config;
    private final Supplier<Collection<Log>> logs;
    private final OffsetCheckpoint checkpoint;
    private final Time time;
    private final CleanerHook hook;
    private final LogDirContext context;
    private final Object lock = new Object();
    /** Guarded by {@code lock}. */
    private final Map<TopicPartition, Long> firstDirtyOffsets;

    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Map<TopicPartition, String> uncleanable = new HashMap<>();
    private final Map<TopicPartition, CleanerStats> lastStats = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The cleaner of {@link #cleanOnce()} and the thread it runs on; created under {@code manualLock}. */
    private Cleaner manualCleaner;

    private ExecutorService manualThread;
    private final Object manualLock = new Object();
    private volatile boolean stopping;

    private LogCleaner(
            CleanerConfig config,
            Supplier<Collection<Log>> logs,
            OffsetCheckpoint checkpoint,
            Time time,
            CleanerHook hook,
            LogDirContext context,
            Map<TopicPartition, Long> firstDirtyOffsets) {
        this.config = config;
        this.context = context;
        this.logs = logs;
        this.checkpoint = checkpoint;
        this.time = time;
        this.hook = hook;
        this.firstDirtyOffsets = firstDirtyOffsets;
    }

    /**
     * Reads the checkpoint in {@code checkpointFile}; {@link #startup()} starts the threads.
     *
     * @param logs the broker's current logs, asked again at every round
     * @param hook sees every step of every pass ({@link CleanerHook#NONE} outside tests)
     * @param context the logs' directory: its file opener, offline state and segment deleter
     */
    public static LogCleaner create(
            CleanerConfig config,
            Path checkpointFile,
            Supplier<Collection<Log>> logs,
            Time time,
            CleanerHook hook,
            LogDirContext context) {
        OffsetCheckpoint checkpoint = new OffsetCheckpoint(checkpointFile, context.channels());
        try {
            return new LogCleaner(config, logs, checkpoint, time, hook, context, new HashMap<>(checkpoint.read()));
        } catch (IOException e) {
            throw new KafkaStorageException("Could not read the cleaner checkpoint " + checkpointFile + ": " + e, e);
        }
    }

    /**
     * A cleaner used alone, without a log manager (tests and tools): its directory context is its own, so the
     * files of replaced segments that are not yet due when it stops are left for the next open to remove.
     */
    public static LogCleaner create(
            CleanerConfig config, Path checkpointFile, Supplier<Collection<Log>> logs, Time time, CleanerHook hook) {
        return create(
                config, checkpointFile, logs, time, hook, LogDirContext.standalone(checkpointFile.getParent(), time));
    }

    /** Starts {@code log.cleaner.threads} threads, unless {@code log.cleaner.enable} is false. */
    public void startup() {
        if (!config.enabled()) {
            return;
        }
        synchronized (lock) {
            for (int i = 0; i < config.threads(); i++) {
                Cleaner cleaner = newCleaner();
                Thread thread = new Thread(() -> run(cleaner), "weir-log-cleaner-" + i);
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler((t, e) ->
                        LOG.error(t.getName() + " stopped; compacted topics are no longer cleaned until restart", e));
                threads.add(thread);
                thread.start();
            }
        }
    }

    private Cleaner newCleaner() {
        int maxBatch = Integer.MAX_VALUE - 64;
        return new Cleaner(
                new OffsetMap(config.dedupeBufferPerThread(), config.loadFactor()),
                config.ioBufferPerThread(),
                maxBatch,
                time,
                hook);
    }

    private void run(Cleaner cleaner) {
        while (!stopping) {
            boolean cleaned = false;
            try {
                cleaned = cleanFilthiest(cleaner);
                context.deleter().deleteDue();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner round failed; retrying after log.cleaner.backoff.ms", e);
            }
            if (!cleaned) {
                synchronized (lock) {
                    if (!stopping) {
                        try {
                            lock.wait(Math.max(1, config.backoffMs()));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }

    /**
     * Cleans the filthiest log once, on the calling thread; returns whether a log needed it. Threads need not
     * be running (tests and tools drive the cleaner with this).
     */
    public boolean cleanOnce() {
        Future<Boolean> pass;
        synchronized (manualLock) {
            if (stopping) {
                return false;
            }
            if (manualThread == null) {
                manualCleaner = newCleaner();
                manualThread = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "weir-log-cleaner-manual");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            // On a thread of its own: an interrupt of the caller would close the segments' channels under every
            // reader and the writer (FileChannel is interruptible).
            pass = manualThread.submit(() -> {
                boolean cleaned = cleanFilthiest(manualCleaner);
                context.deleter().deleteDue();
                return cleaned;
            });
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pass.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the pass goes on; the caller learns of its interrupt afterwards
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("log cleaner pass failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@link #cleanOnce()} until no log needs cleaning; returns how many passes ran. */
    public int cleanUntilClean() {
        int passes = 0;
        while (cleanOnce()) {
            passes++;
        }
        return passes;
    }

    private boolean cleanFilthiest(Cleaner cleaner) {
        CleanableRange chosen = null;
        synchronized (lock) {
            if (stopping) {
                return false;
            }
            long now = time.milliseconds();
            for (Log log : logs.get()) {
                TopicPartition tp = log.topicPartition();
                if (!log.config().compacts()
                        || inProgress.contains(tp)
                        || paused.contains(tp)
                        || uncleanable.containsKey(tp)) {
                    continue;
                }
                CleanableRange range = log.cleanableRange(firstDirtyOffsets.getOrDefault(tp, 0L), now);
                if (range == null || !range.needsCleaning(log.config().minCleanableDirtyRatio())) {
                    continue;
                }
                if (chosen == null || range.dirtyRatio() > chosen.dirtyRatio()) {
                    chosen = range;
                }
            }
            if (chosen == null) {
                return false;
            }
            inProgress.add(chosen.log().topicPartition());
        }
        TopicPartition tp = chosen.log().topicPartition();
        try {
            Cleaner.PassResult result = cleaner.clean(chosen, () -> stopping || isPaused(tp));
            synchronized (lock) {
                firstDirtyOffsets.put(tp, result.nextDirtyOffset());
                lastStats.put(tp, result.stats());
                writeCheckpoint();
            }
            context.deleter().retire(result.retired());
            LOG.atDebug().log(() -> "Cleaned " + tp + ": " + result.stats());
            return true;
        } catch (Cleaner.CleaningAbortedException e) {
            return false;
        } catch (IOException e) {
            if (e instanceof FileWriteException) {
                // Writing or syncing the cleaned segment failed: the disk is not trusted any more.
                chosen.log().storageFailure("Cleaning of " + tp, e);
                return false;
            }
            if (!chosen.log().holdsAll(chosen.segments())) {
                // Retention or a deletion removed a segment the pass was reading: nothing is wrong with the log.
                return false;
            }
            markUncleanable(tp, e);
            return false;
        } catch (LogDirFailureException e) {
            // The directory is offline (this pass's swap failed, or any write in it): nothing more is cleaned
            // there, and the channel has reported why.
            return false;
        } catch (CorruptSegmentException e) {
            markUncleanable(tp, e.in(tp));
            return false;
        } catch (CorruptRecordException | IllegalStateException | KafkaStorageException e) {
            markUncleanable(tp, e);
            return false;
        } finally {
            synchronized (lock) {
                inProgress.remove(tp);
                lock.notifyAll();
            }
        }
    }

    private void markUncleanable(TopicPartition tp, Exception e) {
        String reason = e.toString();
        synchronized (lock) {
            uncleanable.put(tp, reason);
        }
        LOG.warn(
                "Could not clean " + tp + "; it is left as it is and not cleaned again" + " until the broker restarts: "
                        + reason,
                e);
    }

    private boolean isPaused(TopicPartition tp) {
        synchronized (lock) {
            return paused.contains(tp);
        }
    }

    /**
     * Caller holds {@code lock}. Nothing is written once the directory is offline; a failed write takes it
     * offline (the channel reports it). The pass it records stands either way: its swaps were already synced.
     */
    private void writeCheckpoint() {
        if (context.failures().isOffline()) {
            return;
        }
        try {
            checkpoint.write(new TreeMap<>(firstDirtyOffsets));
        } catch (IOException e) {
            context.failures().fail("Write of the cleaner checkpoint", checkpoint.file(), e);
        }
    }

    // ---- control -----------------------------------------------------------------------------------------

    /** Keeps the cleaner off {@code tp}, stopping and waiting out a pass in progress on it. */
    public void pauseAndWait(TopicPartition tp) {
        synchronized (lock) {
            paused.add(tp);
            while (inProgress.contains(tp)) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaStorageException("Interrupted while waiting for the cleaner to leave " + tp, e);
                }
            }
        }
    }

    public void resume(TopicPartition tp) {
        synchronized (lock) {
            paused.remove(tp);
            lock.notifyAll();
        }
    }

    /** Forgets a deleted partition: its checkpoint entry goes, so a topic recreated under its name starts clean. */
    public void forget(TopicPartition tp) {
        synchronized (lock) {
            paused.remove(tp);
            uncleanable.remove(tp);
            lastStats.remove(tp);
            if (firstDirtyOffsets.remove(tp) != null) {
                writeCheckpoint();
            }
        }
    }

    /** Where the next pass over {@code tp} starts building its map; 0 before the first pass. */
    public long firstDirtyOffset(TopicPartition tp) {
        synchronized (lock) {
            return firstDirtyOffsets.getOrDefault(tp, 0L);
        }
    }

    /** The partitions left alone after a failed pass, with the reason. */
    public Map<TopicPartition, String> uncleanablePartitions() {
        synchronized (lock) {
            return Map.copyOf(uncleanable);
        }
    }

    /** The statistics of the last pass over {@code tp}, or null. */
    public CleanerStats lastStats(TopicPartition tp) {
        synchronized (lock) {
            return lastStats.get(tp);
        }
    }

    /**
     * Stops the threads (a pass in progress is abandoned, leaving its log as it was), then saves the checkpoint.
     * The files of replaced segments are the {@link SegmentDeleter}'s, closed by its owner.
     */
    @Override
    public void close() {
        stop();
        synchronized (lock) {
            writeCheckpoint();
        }
    }

    /** Stops the threads without saving anything, as a crash would (tests). */
    public void stop() {
        List<Thread> running;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            running = new ArrayList<>(threads);
            threads.clear();
        }
        synchronized (manualLock) {
            if (manualThread != null) {
                manualThread.shutdown();
            }
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
