package io.weir.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.utils.MockTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One partition's producer state under test, the {@link ProducerStateModel} it must agree with, the log the
 * broker would hold, the clients that produce to it and the coordinator that ends their transactions.
 * Clients behave as Kafka's do: they continue their sequence after an append, keep it after a failed append
 * (the retry resends the same batch), answer UNKNOWN_PRODUCER_ID by bumping their epoch and restarting at 0,
 * and take on the epoch a fencing coordinator gave them. The actions that misbehave (resends, gaps, zombies,
 * stray non-transactional writes, markers from fenced coordinators) are driven from
 * {@link ProducerStateProperties}.
 */
final class ProducerStateWorld {
    static final long EXPIRATION_MS = 10_000L;
    static final List<Long> PRODUCER_IDS = List.of(1L, 2L, 3L, 4L);
    /** Producers 3 and 4 are transactional; the others are idempotent only. */
    static final List<Long> TRANSACTIONAL_IDS = List.of(3L, 4L);

    /** What the log holds at some offsets: the broker reads these back on open. */
    sealed interface Logged {
        long lastOffset();
    }

    /** A producer's batch; a coordinator's has {@link ProducerStateManager#NO_SEQUENCE} sequences. */
    record Batch(
            long pid,
            short epoch,
            int first,
            int last,
            boolean transactional,
            long firstOffset,
            long lastOffset,
            long timestamp)
            implements Logged {}

    record Marker(long pid, short epoch, int coordinatorEpoch, TransactionResult result, long offset, long timestamp)
            implements Logged {
        @Override
        public long lastOffset() {
            return offset;
        }
    }

    /** A batch without producer id. */
    record Plain(long firstOffset, long lastOffset) implements Logged {}

    /** What a client sent; kept so that it can resend it, however old. */
    record Sent(short epoch, int first, int last) {}

    /** How the coordinator picks a marker's producer epoch. */
    enum MarkerEpoch {
        /** The producer's current epoch: an ordinary commit or abort. */
        CURRENT,
        /** One above: the coordinator fences the producer and aborts its transaction. */
        BUMPED,
        /** One below: a marker from before a bump, which must be fenced. */
        STALE
    }

    /** How the coordinator's epoch moves before it writes a marker. */
    enum CoordinatorEpoch {
        SAME,
        /** The coordinator moved (a new leader for the state partition). */
        NEXT,
        /** A zombie coordinator with an epoch below the current one. */
        ZOMBIE
    }

    static final class Client {
        final long pid;
        final boolean transactional;
        short epoch;
        int next;
        final List<Sent> sent = new ArrayList<>();

        Client(long pid) {
            this.pid = pid;
            this.transactional = TRANSACTIONAL_IDS.contains(pid);
        }
    }

    private record Saved(byte[] bytes, ProducerStateModel model, int logSize, long offset) {}

    final MockTime clock = new MockTime(1_000_000_000L);
    private final ProducerStateConfig config = new ProducerStateConfig(EXPIRATION_MS);
    ProducerStateManager state = ProducerStateManager.create(config, clock);
    ProducerStateModel model = new ProducerStateModel(EXPIRATION_MS);
    final Map<Long, Client> clients = new TreeMap<>();
    final List<Logged> log = new ArrayList<>();
    private long logEnd;
    private int coordinatorEpoch;
    private Saved saved;
    private boolean expiredSinceSaved;
    private long lastEndOffset;

    ProducerStateWorld() {
        PRODUCER_IDS.forEach(pid -> clients.put(pid, new Client(pid)));
    }

    boolean hasSnapshot() {
        return saved != null;
    }

    /** How many logged entries the saved snapshot reflects: a reopen may replay from anywhere up to there. */
    int snapshotLogSize() {
        return saved.logSize();
    }

    // ---- client sends ------------------------------------------------------------------------------------

    /** The client's next batch of {@code records}; if {@code appendFails} the log refuses it after check. */
    void sendNext(long pid, int records, boolean appendFails) {
        Client c = clients.get(pid);
        int last = (int) (((long) c.next + records - 1) % (Integer.MAX_VALUE + 1L));
        Verdict verdict = send(pid, c.epoch, c.next, last, c.transactional, appendFails);
        react(c, verdict, last, appendFails);
    }

    /** A batch from the client's next sequence up to {@code Integer.MAX_VALUE - belowTop}: one huge batch. */
    void sendToTheTop(long pid, int belowTop) {
        Client c = clients.get(pid);
        int last = Integer.MAX_VALUE - belowTop;
        if (c.next > last) {
            sendNext(pid, 1, false);
            return;
        }
        react(c, send(pid, c.epoch, c.next, last, c.transactional, false), last, false);
    }

    void resend(long pid, Sent batch) {
        Client c = clients.get(pid);
        send(pid, batch.epoch(), batch.first(), batch.last(), c.transactional, false);
    }

    /** A batch that skips {@code skipped} sequences; the client does not move on, as it would not. */
    void sendWithGap(long pid, int skipped) {
        Client c = clients.get(pid);
        int first = (int) ((c.next + (long) skipped) % (Integer.MAX_VALUE + 1L));
        send(pid, c.epoch, first, first, c.transactional, false);
    }

    /** The client re-initialises with a higher epoch (as after a fatal error) and sends from 0. */
    void bumpEpoch(long pid) {
        Client c = clients.get(pid);
        c.epoch++;
        c.next = 0;
        sendNext(pid, 1, false);
    }

    /** An instance fenced by the client's current one still sends with the previous epoch. */
    void sendAsZombie(long pid) {
        Client c = clients.get(pid);
        send(pid, (short) (c.epoch - 1), c.next, c.next, c.transactional, false);
    }

    /** A transactional producer writes outside its transaction. */
    void sendStrayNonTransactional(long pid) {
        Client c = clients.get(pid);
        react(c, send(pid, c.epoch, c.next, c.next, false, false), c.next, false);
    }

    /** A batch without a producer id takes offsets and moves the state's end offset past them. */
    void appendNonIdempotent(int records) {
        Plain plain = new Plain(logEnd, logEnd + records - 1);
        logEnd += records;
        state.advanceEndOffset(logEnd);
        model.advance(logEnd);
        log.add(plain);
    }

    private void react(Client c, Verdict verdict, int last, boolean appendFailed) {
        if (verdict instanceof Verdict.Append && !appendFailed) {
            c.sent.add(new Sent(c.epoch, c.next, last));
            c.next = ProducerStateModel.successor(last);
        } else if (verdict instanceof Verdict.UnknownProducerId) {
            c.epoch++;
            c.next = 0;
        }
    }

    private Verdict send(long pid, short epoch, int first, int last, boolean transactional, boolean appendFails) {
        String batch =
                "producer " + pid + " epoch " + epoch + " seq " + first + ".." + last + (transactional ? " (txn)" : "");
        Verdict expected = model.verdict(pid, epoch, first, last, transactional);
        Verdict actual = state.check(pid, epoch, first, last, transactional);
        assertEquals(expected, actual, "verdict for " + batch);
        assertEquals(actual, state.check(pid, epoch, first, last, transactional), "check is repeatable: " + batch);
        if (actual instanceof Verdict.Duplicate duplicate) {
            Batch original = originalOf(pid, epoch, first, last);
            assertEquals(original.firstOffset(), duplicate.firstOffset(), "duplicate's first offset: " + batch);
            assertEquals(original.lastOffset(), duplicate.lastOffset(), "duplicate's last offset: " + batch);
        }
        if (actual instanceof Verdict.Append append && !appendFails) {
            long firstOffset = logEnd;
            long lastOffset = firstOffset + ProducerStateModel.count(first, last) - 1;
            long timestamp = clock.milliseconds();
            state.apply(append, firstOffset, lastOffset, timestamp);
            model.append(pid, epoch, first, last, transactional, firstOffset, lastOffset, timestamp);
            log.add(new Batch(pid, epoch, first, last, transactional, firstOffset, lastOffset, timestamp));
            logEnd = lastOffset + 1;
        }
        return actual;
    }

    /** The latest logged batch with these sequences: a resend is acknowledged with its offsets. */
    private Batch originalOf(long pid, short epoch, int first, int last) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i) instanceof Batch b
                    && b.pid() == pid
                    && b.epoch() == epoch
                    && b.first() == first
                    && b.last() == last) {
                return b;
            }
        }
        throw new AssertionError(
                "duplicate of producer " + pid + " seq " + first + ".." + last + " that the log never held");
    }

    // ---- the coordinator ---------------------------------------------------------------------------------

    /** The coordinator writes a transactional offset commit of {@code records} for the client's epoch. */
    void coordinatorBatch(long pid, int records) {
        Client c = clients.get(pid);
        Verdict expected = model.coordinatorVerdict(pid, c.epoch);
        Verdict actual = state.checkCoordinatorBatch(pid, c.epoch);
        assertEquals(expected, actual, "verdict for the coordinator's batch of producer " + pid);
        if (actual instanceof Verdict.Append append) {
            long firstOffset = logEnd;
            long lastOffset = firstOffset + records - 1;
            long timestamp = clock.milliseconds();
            state.apply(append, firstOffset, lastOffset, timestamp);
            model.coordinatorBatch(pid, c.epoch, firstOffset, lastOffset, timestamp);
            log.add(new Batch(
                    pid,
                    c.epoch,
                    ProducerStateManager.NO_SEQUENCE,
                    ProducerStateManager.NO_SEQUENCE,
                    true,
                    firstOffset,
                    lastOffset,
                    timestamp));
            logEnd = lastOffset + 1;
        }
    }

    /**
     * The coordinator ends producer {@code pid}'s transaction with a marker. A marker that fences the
     * producer moves its client to the bumped epoch, as the coordinator's answer would.
     */
    void endTransaction(long pid, TransactionResult result, MarkerEpoch markerEpoch, CoordinatorEpoch coordinator) {
        Client c = clients.get(pid);
        short epoch =
                switch (markerEpoch) {
                    case CURRENT -> c.epoch;
                    case BUMPED -> (short) (c.epoch + 1);
                    case STALE -> (short) Math.max(0, c.epoch - 1);
                };
        if (coordinator == CoordinatorEpoch.NEXT) {
            coordinatorEpoch++;
        }
        int writerEpoch = coordinator == CoordinatorEpoch.ZOMBIE ? Math.max(0, coordinatorEpoch - 1) : coordinatorEpoch;
        String marker =
                result + " marker for producer " + pid + " epoch " + epoch + " coordinator epoch " + writerEpoch;
        MarkerVerdict expected = model.markerVerdict(pid, epoch, writerEpoch, result);
        MarkerVerdict actual = state.checkMarker(pid, epoch, writerEpoch, result);
        assertEquals(expected, actual, "verdict for the " + marker);
        if (actual instanceof MarkerVerdict.EndTxn endTxn) {
            long offset = logEnd++;
            long timestamp = clock.milliseconds();
            Optional<CompletedTxn> completed = state.applyMarker(endTxn, offset, timestamp);
            assertEquals(
                    model.marker(pid, epoch, writerEpoch, result, offset, timestamp),
                    completed,
                    "transaction the " + marker + " ended");
            log.add(new Marker(pid, epoch, writerEpoch, result, offset, timestamp));
            if (epoch > c.epoch) {
                c.epoch = epoch;
                c.next = 0;
            }
        }
    }

    // ---- time, snapshots, reopen -------------------------------------------------------------------------

    void advance(long ms) {
        clock.sleep(ms);
    }

    /**
     * Moves the clock to {@code delta} ms from the moment producer {@code pid} becomes expirable, so that
     * the boundary itself is tried; does nothing if that moment has passed or the producer has no state.
     */
    void advanceToExpiryOf(long pid, long delta) {
        ProducerStateEntry entry = model.entries().get(pid);
        if (entry != null) {
            long target = entry.lastTimestamp() + EXPIRATION_MS + delta;
            if (target > clock.milliseconds()) {
                clock.sleep(target - clock.milliseconds());
            }
        }
    }

    void expire() {
        int removed = state.removeExpired();
        assertEquals(model.expire(clock.milliseconds()), removed, "producers expired");
        expiredSinceSaved |= removed > 0;
    }

    void takeSnapshot() {
        saved = new Saved(state.snapshot(), model.copy(), log.size(), state.endOffset());
        expiredSinceSaved = false;
    }

    /**
     * The broker reopens the partition: restore the saved snapshot and replay the log from
     * {@code replayFrom} (at or before the snapshot's place in the log, as a recovery point may be) to the end.
     */
    void reopenFromSnapshot(int replayFrom) {
        assertTrue(replayFrom <= saved.logSize(), "a replay must not start after the snapshot");
        Map<Long, ProducerStateEntry> before = state.producers();
        long endBefore = state.endOffset();
        state = ProducerStateManager.restore(saved.bytes(), config, clock);
        assertEquals(saved.offset(), state.endOffset(), "restored end offset");
        model = saved.model().copy();
        replay(replayFrom, saved.logSize());
        if (!expiredSinceSaved) {
            assertEquals(before, state.producers(), "a reopen with no expiry since the snapshot loses nothing");
            assertEquals(endBefore, state.endOffset(), "end offset after reopen");
        }
    }

    /** The broker reopens without a usable snapshot and rebuilds from the whole log. */
    void reopenFromLog() {
        state = ProducerStateManager.create(config, clock);
        model = new ProducerStateModel(EXPIRATION_MS);
        replay(0, 0);
        expiredSinceSaved = true;
    }

    /**
     * Replays the log from index {@code from} into the state, checking that entries below {@code reflected}
     * (already in the restored state) change nothing, and the model from {@code reflected} on.
     */
    private void replay(int from, int reflected) {
        for (int i = from; i < log.size(); i++) {
            boolean fresh = i >= reflected;
            Logged logged = log.get(i);
            if (logged instanceof Batch b) {
                boolean changed = state.applyLoaded(
                        b.pid(),
                        b.epoch(),
                        b.first(),
                        b.last(),
                        b.transactional(),
                        b.firstOffset(),
                        b.lastOffset(),
                        b.timestamp());
                assertEquals(fresh, changed, "replay of " + b + " changed the state");
                if (fresh && b.first() == ProducerStateManager.NO_SEQUENCE) {
                    model.coordinatorBatch(b.pid(), b.epoch(), b.firstOffset(), b.lastOffset(), b.timestamp());
                } else if (fresh) {
                    model.replay(
                            b.pid(),
                            b.epoch(),
                            b.first(),
                            b.last(),
                            b.transactional(),
                            b.firstOffset(),
                            b.lastOffset(),
                            b.timestamp());
                }
            } else if (logged instanceof Marker m) {
                Optional<CompletedTxn> completed = state.applyLoadedMarker(
                        m.pid(), m.epoch(), m.coordinatorEpoch(), m.result(), m.offset(), m.timestamp());
                Optional<CompletedTxn> expected = fresh
                        ? model.marker(m.pid(), m.epoch(), m.coordinatorEpoch(), m.result(), m.offset(), m.timestamp())
                        : Optional.empty();
                assertEquals(expected, completed, "replay of " + m);
            } else if (logged instanceof Plain p) {
                state.advanceEndOffset(p.lastOffset() + 1);
                if (fresh) {
                    model.advance(p.lastOffset() + 1);
                }
            }
        }
    }

    // ---- invariants --------------------------------------------------------------------------------------

    void agreesWithModel() {
        assertEquals(model.entries(), state.producers(), "producer entries");
        assertEquals(model.endOffset, state.endOffset(), "end offset");
    }

    void firstUnstableOffsetIsTheOldestOpenTransaction() {
        assertEquals(model.firstUnstableOffset(), state.firstUnstableOffset(), "first unstable offset");
    }

    void offsetsStrictlyIncrease() {
        for (int i = 1; i < log.size(); i++) {
            assertTrue(firstOffsetOf(log.get(i)) > log.get(i - 1).lastOffset(), () -> "offsets went back: " + log);
        }
        assertTrue(
                state.endOffset() >= lastEndOffset,
                "end offset went from " + lastEndOffset + " to " + state.endOffset());
        lastEndOffset = state.endOffset();
    }

    private static long firstOffsetOf(Logged logged) {
        if (logged instanceof Batch b) {
            return b.firstOffset();
        }
        return logged instanceof Plain p ? p.firstOffset() : logged.lastOffset();
    }

    @Override
    public String toString() {
        return "ProducerStateWorld(" + model + ", log " + log.size() + " entries to " + logEnd + ", coordinator epoch "
                + coordinatorEpoch + ")";
    }
}
