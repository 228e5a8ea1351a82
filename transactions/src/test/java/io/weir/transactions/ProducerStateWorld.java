package io.weir.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's producer state under test, the {@link ProducerStateModel} it must agree with, the log the
 * broker would hold, and the clients that produce to it. Clients behave as Kafka's do: they continue their
 * sequence after an append, keep it after a failed append (the retry resends the same batch), and answer
 * UNKNOWN_PRODUCER_ID by bumping their epoch and restarting at 0. The actions that misbehave (resends, gaps,
 * zombies, stray non-transactional writes) are driven from {@link ProducerStateProperties}.
 */
final class ProducerStateWorld {
    static final long EXPIRATION_MS = 10_000L;
    /** Producer 4 is transactional; the others are idempotent only. */
    static final List<Long> PRODUCER_IDS = List.of(1L, 2L, 3L, 4L);
    private static final long TRANSACTIONAL_ID = 4L;

    /** A batch as the log holds it: what the broker reads back on open. */
    record Logged(long pid, short epoch, int first, int last, boolean transactional, long firstOffset,
                  long lastOffset, long timestamp) {
    }

    /** What a client sent; kept so that it can resend it, however old. */
    record Sent(short epoch, int first, int last) {
    }

    static final class Client {
        final long pid;
        final boolean transactional;
        short epoch;
        int next;
        final List<Sent> sent = new ArrayList<>();

        Client(long pid) {
            this.pid = pid;
            this.transactional = pid == TRANSACTIONAL_ID;
        }
    }

    private record Saved(byte[] bytes, ProducerStateModel model, int logSize, long offset) {
    }

    final ManualClock clock = new ManualClock(1_000_000_000L);
    private final ProducerStateConfig config = new ProducerStateConfig(EXPIRATION_MS);
    ProducerStateManager state = ProducerStateManager.create(config, clock);
    ProducerStateModel model = new ProducerStateModel(EXPIRATION_MS);
    final Map<Long, Client> clients = new TreeMap<>();
    final List<Logged> log = new ArrayList<>();
    private long logEnd;
    private Saved saved;
    private boolean expiredSinceSaved;
    private long lastEndOffset;

    ProducerStateWorld() {
        PRODUCER_IDS.forEach(pid -> clients.put(pid, new Client(pid)));
    }

    boolean hasSnapshot() {
        return saved != null;
    }

    /** How many logged batches the saved snapshot reflects: a reopen may replay from anywhere up to there. */
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

    /** The transactional producer writes outside its transaction. */
    void sendStrayNonTransactional(long pid) {
        Client c = clients.get(pid);
        react(c, send(pid, c.epoch, c.next, c.next, false, false), c.next, false);
    }

    /** A batch without a producer id takes offsets but never reaches the producer state. */
    void appendNonIdempotent(int records) {
        logEnd += records;
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
        String batch = "producer " + pid + " epoch " + epoch + " seq " + first + ".." + last
                + (transactional ? " (txn)" : "");
        Verdict expected = model.verdict(pid, epoch, first, last, transactional);
        Verdict actual = state.check(pid, epoch, first, last, transactional);
        assertEquals(expected, actual, "verdict for " + batch);
        assertEquals(actual, state.check(pid, epoch, first, last, transactional), "check is repeatable: " + batch);
        if (actual instanceof Verdict.Duplicate duplicate) {
            Logged original = originalOf(pid, epoch, first, last);
            assertEquals(original.firstOffset(), duplicate.firstOffset(), "duplicate's first offset: " + batch);
            assertEquals(original.lastOffset(), duplicate.lastOffset(), "duplicate's last offset: " + batch);
        }
        if (actual instanceof Verdict.Append append && !appendFails) {
            long firstOffset = logEnd;
            long lastOffset = firstOffset + ProducerStateModel.count(first, last) - 1;
            long timestamp = clock.milliseconds();
            state.apply(append, firstOffset, lastOffset, timestamp);
            model.append(pid, epoch, first, last, transactional, firstOffset, lastOffset, timestamp);
            log.add(new Logged(pid, epoch, first, last, transactional, firstOffset, lastOffset, timestamp));
            logEnd = lastOffset + 1;
        }
        return actual;
    }

    /** The latest logged batch with these sequences: a resend is acknowledged with its offsets. */
    private Logged originalOf(long pid, short epoch, int first, int last) {
        for (int i = log.size() - 1; i >= 0; i--) {
            Logged l = log.get(i);
            if (l.pid() == pid && l.epoch() == epoch && l.first() == first && l.last() == last) {
                return l;
            }
        }
        throw new AssertionError("duplicate of producer " + pid + " seq " + first + ".." + last
                + " that the log never held");
    }

    // ---- time, snapshots, reopen -------------------------------------------------------------------------

    void advance(long ms) {
        clock.advance(ms);
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
                clock.advance(target - clock.milliseconds());
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
        replay(replayFrom, saved.logSize());
        model = saved.model().copy();
        log.subList(saved.logSize(), log.size()).forEach(l -> model.replay(l.pid(), l.epoch(), l.first(),
                l.last(), l.transactional(), l.firstOffset(), l.lastOffset(), l.timestamp()));
        if (!expiredSinceSaved) {
            assertEquals(before, state.producers(), "a reopen with no expiry since the snapshot loses nothing");
            assertEquals(endBefore, state.endOffset(), "end offset after reopen");
        }
    }

    /** The broker reopens without a usable snapshot and rebuilds from the whole log. */
    void reopenFromLog() {
        state = ProducerStateManager.create(config, clock);
        replay(0, 0);
        model = new ProducerStateModel(EXPIRATION_MS);
        log.forEach(l -> model.replay(l.pid(), l.epoch(), l.first(), l.last(), l.transactional(),
                l.firstOffset(), l.lastOffset(), l.timestamp()));
        expiredSinceSaved = true;
    }

    private void replay(int from, int reflected) {
        for (int i = from; i < log.size(); i++) {
            Logged l = log.get(i);
            boolean changed = state.applyLoaded(l.pid(), l.epoch(), l.first(), l.last(), l.transactional(),
                    l.firstOffset(), l.lastOffset(), l.timestamp());
            assertEquals(i >= reflected, changed, "replay of " + l + " changed the state");
        }
    }

    // ---- invariants --------------------------------------------------------------------------------------

    void agreesWithModel() {
        assertEquals(model.entries(), state.producers(), "producer entries");
        assertEquals(model.endOffset, state.endOffset(), "end offset");
    }

    void offsetsStrictlyIncrease() {
        for (int i = 1; i < log.size(); i++) {
            assertTrue(log.get(i).firstOffset() > log.get(i - 1).lastOffset(),
                    () -> "offsets went back: " + log);
        }
        assertTrue(state.endOffset() >= lastEndOffset, "end offset went from " + lastEndOffset + " to "
                + state.endOffset());
        lastEndOffset = state.endOffset();
    }

    @Override
    public String toString() {
        return "ProducerStateWorld(" + model + ", log " + log.size() + " batches to " + logEnd + ")";
    }
}
