package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.TransactionalLogModel.Aborted;
import io.weir.broker.internals.log.TransactionalLogModel.Appended;
import io.weir.broker.internals.log.TransactionalLogModel.Data;
import io.weir.broker.internals.log.TransactionalLogModel.DuplicateOf;
import io.weir.broker.internals.log.TransactionalLogModel.Expected;
import io.weir.broker.internals.log.TransactionalLogModel.Marker;
import io.weir.broker.internals.log.TransactionalLogModel.Refused;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.OutOfOrderSequenceException;
import io.weir.common.errors.UnknownProducerIdException;
import io.weir.common.errors.WeirException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.TransactionResult;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A partition's {@link Log} under test, the {@link TransactionalLogModel} it must agree with, the producers
 * that write to it and the transaction coordinator that ends their transactions. Producers 1 and 2 are
 * idempotent, 3 and 4 transactional. A client continues its sequence after an append and, told its sequence
 * is out of order or its id unknown (a crash lost batches it thought written), bumps its epoch and starts over
 * at 0, as a Weir producer recovers; a client the coordinator fenced takes on the bumped epoch.
 *
 * <p>The log's directory is a fresh temporary one, removed by {@link #close()}.
 */
final class TransactionalLogWorld implements AutoCloseable {
    static final List<Long> PRODUCERS = List.of(1L, 2L, 3L, 4L);
    static final List<Long> TRANSACTIONAL = List.of(3L, 4L);
    private static final TopicPartition TP = new TopicPartition("model", 0);
    private static final int READ_BYTES = 400;

    /** A batch a client had acknowledged, which it may resend. */
    record Sent(short epoch, int first, int last) {}

    static final class Client {
        final long pid;
        final boolean transactional;
        short epoch;
        int next;
        final List<Sent> sent = new ArrayList<>();

        Client(long pid) {
            this.pid = pid;
            this.transactional = TRANSACTIONAL.contains(pid);
        }

        List<Sent> lastFive() {
            return sent.subList(Math.max(0, sent.size() - 5), sent.size());
        }
    }

    /** How the coordinator picks a marker's epochs. */
    enum Fencing {
        /** The producer's epoch, the current coordinator: an ordinary commit or abort. */
        NONE,
        /** The coordinator bumps the producer's epoch while aborting: the producer is fenced. */
        BUMP_PRODUCER,
        /** A new coordinator with a higher epoch takes over. */
        NEW_COORDINATOR,
        /** A coordinator that was replaced still writes, with the epoch below the current one. */
        ZOMBIE_COORDINATOR
    }

    private final Path dir;
    private final MockTime time = new MockTime();
    private final LogConfig config = LogConfig.withOverrides(
            LogConfig.DEFAULTS,
            Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "1200", TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, "200"));
    private Log log;
    final TransactionalLogModel model = new TransactionalLogModel();
    final Map<Long, Client> clients = new TreeMap<>();
    private int coordinatorEpoch;
    private int plainBatches;

    TransactionalLogWorld() {
        try {
            dir = Files.createTempDirectory("weir-txn-log-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory for the log", e);
        }
        PRODUCERS.forEach(pid -> clients.put(pid, new Client(pid)));
        log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.CLEAN);
    }

    // ---- producers -----------------------------------------------------------------------------------------

    /** The client's next batch of {@code records}. */
    void sendNext(long pid, int records) {
        Client c = clients.get(pid);
        int last = c.next + records - 1;
        Expected outcome = send(c, c.epoch, c.next, last);
        if (outcome instanceof Appended) {
            c.sent.add(new Sent(c.epoch, c.next, last));
            c.next = last + 1;
        } else if (outcome instanceof Refused r
                && (r.error() == OutOfOrderSequenceException.class || r.error() == UnknownProducerIdException.class)) {
            c.epoch++;
            c.next = 0;
        }
    }

    /** The client resends one of its last five acknowledged batches, as after a lost response. */
    void resend(long pid, int fromNewest) {
        Client c = clients.get(pid);
        List<Sent> recent = c.lastFive();
        if (!recent.isEmpty()) {
            Sent batch = recent.get(Math.max(0, recent.size() - 1 - fromNewest));
            send(c, batch.epoch(), batch.first(), batch.last());
        }
    }

    /** An instance the client's current one replaced still sends, with the previous epoch. */
    void sendAsZombie(long pid) {
        Client c = clients.get(pid);
        if (c.epoch > 0) {
            send(c, (short) (c.epoch - 1), c.next, c.next);
        }
    }

    private Expected send(Client c, short epoch, int first, int last) {
        int records = last - first + 1;
        ByteBuffer batch = c.transactional
                ? ProducerBatches.transactional(c.pid, epoch, first, records, tick())
                : ProducerBatches.idempotent(c.pid, epoch, first, records, tick());
        String what = "producer " + c.pid + " epoch " + epoch + " seq " + first + ".." + last;
        Expected expected = model.expectBatch(c.pid, epoch, first, last, c.transactional);
        List<String> values = values(batch);
        append(
                batch,
                AppendOrigin.CLIENT,
                expected,
                what,
                (offset, size, timestamp) -> new Data(
                        c.pid,
                        epoch,
                        first,
                        last,
                        c.transactional,
                        offset,
                        offset + records - 1,
                        timestamp,
                        size,
                        values));
        return expected;
    }

    /** A batch without producer id. */
    void sendPlain(int records) {
        String[] values = new String[records];
        for (int i = 0; i < records; i++) {
            values[i] = "plain" + plainBatches + "." + i;
        }
        plainBatches++;
        ByteBuffer batch = ProducerBatches.plain(
                tick(), Stream.of(values).map(ProducerBatches::utf8).toArray(byte[][]::new));
        append(
                batch,
                AppendOrigin.CLIENT,
                new Appended(),
                "plain batch",
                (offset, size, timestamp) -> new Data(
                        -1, (short) -1, -1, -1, false, offset, offset + records - 1, timestamp, size, List.of(values)));
    }

    // ---- the coordinator -----------------------------------------------------------------------------------

    /** The coordinator writes a transactional offset commit for the producer's current epoch. */
    void coordinatorBatch(long pid) {
        Client c = clients.get(pid);
        String value = "offsets-of-" + pid + "@" + time.milliseconds();
        ByteBuffer batch = ProducerBatches.coordinatorBatch(pid, c.epoch, tick(), ProducerBatches.utf8(value));
        short epoch = c.epoch;
        append(
                batch,
                AppendOrigin.COORDINATOR,
                model.expectCoordinatorBatch(pid, epoch),
                "offset commit of " + pid,
                (offset, size, timestamp) ->
                        new Data(pid, epoch, -1, -1, true, offset, offset, timestamp, size, List.of(value)));
    }

    /** The coordinator ends the producer's transaction, fencing whom {@code fencing} says. */
    void endTransaction(long pid, TransactionResult requested, Fencing fencing) {
        Client c = clients.get(pid);
        TransactionResult result = fencing == Fencing.BUMP_PRODUCER ? TransactionResult.ABORT : requested;
        short epoch = fencing == Fencing.BUMP_PRODUCER ? (short) (c.epoch + 1) : c.epoch;
        if (fencing == Fencing.NEW_COORDINATOR) {
            coordinatorEpoch++;
        }
        int writer = fencing == Fencing.ZOMBIE_COORDINATOR ? Math.max(0, coordinatorEpoch - 1) : coordinatorEpoch;
        ControlRecordType type =
                result == TransactionResult.COMMIT ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
        ByteBuffer batch = ProducerBatches.marker(type, pid, epoch, writer, tick());
        Expected expected = model.expectMarker(pid, epoch, writer);
        append(
                batch,
                AppendOrigin.COORDINATOR,
                expected,
                result + " marker of " + pid + " epoch " + epoch + " coordinator epoch " + writer,
                (offset, size, timestamp) -> new Marker(pid, epoch, writer, result, offset, timestamp, size));
        if (expected instanceof Appended && epoch > c.epoch) {
            c.epoch = epoch;
            c.next = 0;
        }
    }

    @FunctionalInterface
    private interface EntryAt {
        TransactionalLogModel.Entry at(long offset, int size, long timestamp);
    }

    /** Appends and checks the outcome against {@code expected}; an append the model expects goes into it. */
    private void append(ByteBuffer batch, AppendOrigin origin, Expected expected, String what, EntryAt entry) {
        int size = batch.remaining();
        long timestamp = RecordBatch.wrap(batch.duplicate()).maxTimestamp();
        LogAppendInfo info;
        try {
            info = log.append(batch, origin);
            log.advanceHighWatermark();
        } catch (WeirException e) {
            assertEquals(expected, new Refused(e.getClass()), what + " was refused: " + e.getMessage());
            return;
        }
        if (expected instanceof DuplicateOf duplicate) {
            assertTrue(info.isDuplicate(), what + " is a duplicate");
            assertEquals(
                    duplicate, new DuplicateOf(info.firstOffset(), info.lastOffset()), what + "'s original offsets");
            return;
        }
        assertEquals(new Appended(), expected, what + " was appended at " + info.firstOffset());
        assertEquals(model.logEnd(), info.firstOffset(), what + " lands at the log end");
        model.add(entry.at(info.firstOffset(), size, timestamp));
    }

    // ---- the broker --------------------------------------------------------------------------------------

    void roll() {
        log.roll();
    }

    void reopenCleanly() {
        log.close();
        log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.CLEAN);
    }

    /** A crash that loses nothing the operating system was given. */
    void crashAndReopen() {
        long recoveryPoint = log.recoveryPoint();
        log.closeWithoutFlush();
        log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.crash(recoveryPoint));
    }

    /** A crash that loses the active segment's tail from {@code fraction} of its length on. */
    void crashCuttingTheTail(double fraction) throws IOException {
        long recoveryPoint = log.recoveryPoint();
        List<Long> bases = log.segmentBaseOffsets();
        log.closeWithoutFlush();
        long activeBase = bases.get(bases.size() - 1);
        Path file = dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX));
        long keep = (long) Math.floor(Files.size(file) * fraction);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(keep);
        }
        model.keepActiveSegmentPrefix(activeBase, keep);
        log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.crash(recoveryPoint));
    }

    /** A crash after the newest producer-state snapshot rotted: the reopen must fall back. */
    void corruptNewestSnapshotAndCrash() throws IOException {
        long recoveryPoint = log.recoveryPoint();
        log.closeWithoutFlush();
        try (Stream<Path> files = Files.list(dir)) {
            Path newest = files.filter(p -> p.toString().endsWith(ProducerStateSnapshots.SUFFIX))
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            if (newest != null) {
                try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
                    long at = raf.length() / 2;
                    raf.seek(at);
                    int b = raf.read();
                    raf.seek(at);
                    raf.write(b ^ 0x10);
                }
            }
        }
        log = Log.open(dir, TP, config, ProducerStateConfig.DEFAULT, time, Shutdown.crash(recoveryPoint));
    }

    private long tick() {
        time.sleep(1);
        return time.milliseconds();
    }

    // ---- invariants --------------------------------------------------------------------------------------

    void offsetsAgreeWithTheModel() {
        assertEquals(model.logEnd(), log.logEndOffset(), "log end offset");
        assertEquals(model.logEnd(), log.highWatermark(), "high watermark");
        assertEquals(model.lastStableOffset(), log.lastStableOffset(), "last stable offset");
    }

    void producersAgreeWithTheModel() {
        assertEquals(model.producers(), log.producers(), "producer state");
    }

    void abortedTransactionsAgreeWithTheModel() {
        List<Aborted> actual = log.abortedTransactions(0, log.logEndOffset()).stream()
                .map(a -> new Aborted(a.producerId(), a.firstOffset(), a.lastOffset()))
                .toList();
        assertEquals(model.aborted(), actual, "aborted transactions");
    }

    /**
     * Reads from the start under read_committed in small fetches, filtering each as Kafka's consumer does with
     * the fetch's aborted transactions, and expects exactly the committed and non-transactional records, the
     * last fetch ending at the last stable offset.
     */
    void readCommittedYieldsExactlyTheCommittedRecords() {
        List<String> read = new ArrayList<>();
        long position = log.logStartOffset();
        long lastStable = log.lastStableOffset();
        while (position < lastStable) {
            ByteBuffer batches = log.read(position, READ_BYTES, true, IsolationLevel.READ_COMMITTED)
                    .batches();
            assertTrue(batches.hasRemaining(), "read_committed makes progress at " + position + " below " + lastStable);
            long upperBound = position;
            for (Iterator<RecordBatch> it = RecordBatches.iterator(batches.duplicate()); it.hasNext(); ) {
                upperBound = it.next().nextOffset();
            }
            read.addAll(consume(batches, position, log.abortedTransactions(position, upperBound)));
            position = upperBound;
        }
        assertEquals(lastStable, position, "the reader ends at the last stable offset");
        assertEquals(model.committedValues(), read, "records a read_committed reader gets");
    }

    private static List<String> consume(ByteBuffer batches, long position, List<AbortedTxn> aborted) {
        PriorityQueue<AbortedTxn> pending = new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
        pending.addAll(aborted);
        Set<Long> abortedProducers = new HashSet<>();
        List<String> values = new ArrayList<>();
        for (Iterator<RecordBatch> it = RecordBatches.iterator(batches.duplicate()); it.hasNext(); ) {
            RecordBatch batch = it.next();
            if (batch.nextOffset() <= position) {
                continue;
            }
            while (!pending.isEmpty() && pending.peek().firstOffset() <= batch.lastOffset()) {
                abortedProducers.add(pending.poll().producerId());
            }
            if (batch.isControl()) {
                if (batch.controlType() == ControlRecordType.ABORT) {
                    abortedProducers.remove(batch.producerId());
                }
            } else if (!batch.isTransactional() || !abortedProducers.contains(batch.producerId())) {
                for (Record record : batch) {
                    if (record.offset() >= position) {
                        values.add(new String(record.valueBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return values;
    }

    private static List<String> values(ByteBuffer batch) {
        List<String> values = new ArrayList<>();
        for (Record record : RecordBatch.wrap(batch.duplicate())) {
            values.add(new String(record.valueBytes(), StandardCharsets.UTF_8));
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        if (!log.isClosed()) {
            log.closeWithoutFlush();
        }
        LogTestSupport.deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return "TransactionalLogWorld(" + model + ", coordinator epoch " + coordinatorEpoch + ", " + log + ")";
    }
}
