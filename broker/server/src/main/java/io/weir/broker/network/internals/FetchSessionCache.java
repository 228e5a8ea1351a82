package io.weir.broker.network.internals;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.FetchRequest.PartitionFetch;
import io.weir.common.protocol.FetchResponse.PartitionData;
import io.weir.common.utils.Time;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * Kafka's incremental fetch sessions (KIP-227), kept as Kafka's {@code FetchManager} and {@code FetchSessionCache}
 * keep them. A session remembers, per partition, what the client last asked for (fetch offset, partition max
 * bytes) and what it was last told (high watermark, log start offset, last stable offset), so a consumer of many
 * partitions sends only the partitions whose position moved and is answered only the partitions that changed.
 *
 * <p>What a request's session id and epoch mean ({@link #newContext}):
 * <ul>
 *   <li>epoch 0: a full fetch. A session the request names is closed; once the fetch is answered a new session
 *       is created from it if a slot is free or can be freed ({@link #tryEvict}), and the answer carries its id
 *       (0 if none: the client keeps sending full fetches). The session expects epoch 1 next.
 *   <li>epoch -1: a full fetch without a session (every version before 7 sends this); a session it names is closed.
 *   <li>any other epoch: incremental. The session must exist ({@code FETCH_SESSION_ID_NOT_FOUND}) and expect this
 *       epoch ({@code INVALID_FETCH_SESSION_EPOCH}: a duplicate or a lost answer). The request's partitions are
 *       added or updated, then its forgotten ones removed; a session left with no partition is closed and the
 *       fetch answered as sessionless. Otherwise the epoch advances and the answer ({@link #complete}) carries
 *       only partitions with records, an error, or a changed high watermark, log start or last stable offset;
 *       those that returned records move to the end of the session, so the next fetch reads the others first
 *       when {@code fetch.max.bytes} cuts an answer short.
 * </ul>
 *
 * <p>The cache holds at most {@code max.incremental.fetch.session.cache.slots} sessions. When it is full, a new
 * session takes the slot of the least recently used session if that one went unused for {@link #EVICTION_MS};
 * failing that, the slot of the smallest session that was used at least {@link #EVICTION_MS} after it was created,
 * if the new one has more partitions. Otherwise no session is created.
 *
 * <p>Threading: any thread; every method holds this cache's lock for a few map operations, never while fetching.
 */
final class FetchSessionCache {
    /** Kafka's minimum time before a session may be evicted for another (its {@code FetchSessionCache}: 120 s). */
    static final long EVICTION_MS = 120_000L;

    /** How many ids a new session draws before it gives up (a random source practically never needs a second). */
    static final int MAX_ID_DRAWS = 64;

    private static final Comparator<Session> SMALLEST_FIRST =
            Comparator.comparingInt((Session s) -> s.partitions.size()).thenComparingInt(s -> s.id);

    private final int maxSlots;
    private final Time time;
    private final IntSupplier randomInts;
    private final Map<Integer, Session> sessions = new HashMap<>();

    /**
     * @param maxSlots   {@code max.incremental.fetch.session.cache.slots}; 0 keeps no sessions
     * @param randomInts where new session ids come from (any int; non-positive and taken ones are skipped)
     */
    FetchSessionCache(int maxSlots, Time time, IntSupplier randomInts) {
        if (maxSlots < 0) {
            throw new IllegalArgumentException("A fetch session cache of " + maxSlots + " slots");
        }
        this.maxSlots = maxSlots;
        this.time = time;
        this.randomInts = randomInts;
    }

    /** What one cached partition of a session holds: the client's last ask and the last state it was told. */
    private static final class CachedPartition {
        long fetchOffset;
        int maxBytes;
        long highWatermark = -1;
        long logStartOffset = -1;
        long lastStableOffset = -1;

        CachedPartition(PartitionFetch asked) {
            ask(asked);
        }

        void ask(PartitionFetch asked) {
            fetchOffset = asked.fetchOffset();
            maxBytes = asked.maxBytes();
        }

        /**
         * Whether the client must hear about {@code data}; remembers what it is told.
         *
         * @param hasBatches whether batches were read, in {@code data} or left in a segment file
         */
        boolean tell(PartitionData data, boolean hasBatches) {
            boolean mustRespond = hasBatches;
            if (!data.error().isSuccess()) {
                // Kafka forgets the high watermark on an error so the partition is sent again once it clears.
                highWatermark = -1;
                return true;
            }
            if (highWatermark != data.highWatermark()) {
                highWatermark = data.highWatermark();
                mustRespond = true;
            }
            if (logStartOffset != data.logStartOffset()) {
                logStartOffset = data.logStartOffset();
                mustRespond = true;
            }
            if (lastStableOffset != data.lastStableOffset()) {
                lastStableOffset = data.lastStableOffset();
                mustRespond = true;
            }
            return mustRespond;
        }
    }

    /** One session: its partitions in fetch order and the epoch its next request must carry. */
    private static final class Session {
        final int id;
        final long creationMs;
        long lastUsedMs;
        int epoch = 1;
        final LinkedHashMap<TopicPartition, CachedPartition> partitions = new LinkedHashMap<>();

        Session(int id, long nowMs) {
            this.id = id;
            this.creationMs = nowMs;
            this.lastUsedMs = nowMs;
        }

        Map<TopicPartition, PartitionFetch> toFetch() {
            Map<TopicPartition, PartitionFetch> out = new LinkedHashMap<>();
            partitions.forEach((tp, p) -> out.put(tp, new PartitionFetch(p.fetchOffset, p.maxBytes)));
            return out;
        }

        boolean evictable() {
            return lastUsedMs - creationMs > EVICTION_MS;
        }
    }

    /** How one Fetch is served: which partitions to read, and how its answer relates to a session. */
    sealed interface FetchContext {
        /** The partitions to read, in order (none for an error). */
        Map<TopicPartition, PartitionFetch> toFetch();
    }

    /** The session could not be used: the answer is this error alone, with session id 0. */
    record SessionError(Errors error, String reason) implements FetchContext {
        @Override
        public Map<TopicPartition, PartitionFetch> toFetch() {
            return Map.of();
        }
    }

    /** A full fetch: every partition asked for is answered; a session is created afterwards if asked. */
    record Full(Map<TopicPartition, PartitionFetch> toFetch, boolean createSession) implements FetchContext {}

    /** An incremental fetch of every partition of {@code session}. */
    record Incremental(Session session, int epoch, Map<TopicPartition, PartitionFetch> toFetch)
            implements FetchContext {}

    /**
     * How to answer a fetch.
     *
     * @param error     the answer's top-level error: NONE, or why the session could not take the answer (then
     *                  it carries no partitions)
     * @param sessionId the session id the answer carries (0: none)
     * @param included  the partitions the answer carries, in order
     */
    record Answer(Errors error, int sessionId, List<TopicPartition> included) {
        Answer(int sessionId, List<TopicPartition> included) {
            this(Errors.NONE, sessionId, included);
        }
    }

    /**
     * Decides how a Fetch request is served, updating its session (see the class comment).
     *
     * @param requested the request's partitions, in its order
     * @param forgotten the partitions an incremental request removes from its session
     */
    synchronized FetchContext newContext(
            int sessionId,
            int epoch,
            Map<TopicPartition, PartitionFetch> requested,
            Collection<TopicPartition> forgotten) {
        boolean full = epoch == FetchMetadata.INITIAL_EPOCH || epoch == FetchMetadata.FINAL_EPOCH;
        if (full) {
            if (sessionId != FetchMetadata.INVALID_SESSION_ID) {
                sessions.remove(sessionId);
            }
            return new Full(requested, epoch == FetchMetadata.INITIAL_EPOCH);
        }
        Session session = sessions.get(sessionId);
        if (session == null) {
            return new SessionError(
                    Errors.FETCH_SESSION_ID_NOT_FOUND, "no fetch session " + sessionId + " (closed or evicted)");
        }
        if (session.epoch != epoch) {
            return new SessionError(
                    Errors.INVALID_FETCH_SESSION_EPOCH,
                    "fetch session " + sessionId + " expects epoch " + session.epoch + ", not " + epoch);
        }
        requested.forEach((tp, asked) -> {
            CachedPartition cached = session.partitions.get(tp);
            if (cached == null) {
                session.partitions.put(tp, new CachedPartition(asked));
            } else {
                cached.ask(asked);
            }
        });
        forgotten.forEach(session.partitions::remove);
        if (session.partitions.isEmpty()) {
            sessions.remove(sessionId);
            return new Full(requested, false);
        }
        session.lastUsedMs = time.milliseconds();
        session.epoch = FetchMetadata.nextEpoch(epoch);
        return new Incremental(session, epoch, session.toFetch());
    }

    /**
     * What the answer to a fetch served under {@code context} carries, given what was read; creates the session of
     * a full fetch that asked for one and remembers what an incremental answer tells the client.
     *
     * @param fetched what the broker read per partition (a partition missing from it is answered as an error)
     * @return for an incremental fetch whose session was closed, evicted or moved past its epoch while the
     *     broker read, an error answer (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH) without partitions
     */
    Answer complete(FetchContext context, Map<TopicPartition, PartitionData> fetched) {
        return complete(context, fetched, Set.of());
    }

    /**
     * {@link #complete(FetchContext, Map)} where the partitions in {@code onDisk} returned batches left in the
     * segment files (their {@code records} in {@code fetched} are empty).
     */
    synchronized Answer complete(
            FetchContext context, Map<TopicPartition, PartitionData> fetched, Set<TopicPartition> onDisk) {
        if (context instanceof Incremental inc) {
            Session session = inc.session();
            if (sessions.get(session.id) != session) {
                // Closed or evicted while the broker read: nothing to tell, and the client must start over.
                return new Answer(Errors.FETCH_SESSION_ID_NOT_FOUND, FetchMetadata.INVALID_SESSION_ID, List.of());
            }
            if (session.epoch != FetchMetadata.nextEpoch(inc.epoch())) {
                // Another fetch of the session was served meanwhile (Kafka's IncrementalFetchContext check).
                return new Answer(Errors.INVALID_FETCH_SESSION_EPOCH, FetchMetadata.INVALID_SESSION_ID, List.of());
            }
            return new Answer(session.id, tellIncremental(session, fetched, onDisk));
        }
        if (context instanceof Full f) {
            return new Answer(
                    f.createSession() ? createSession(f.toFetch(), fetched, onDisk) : FetchMetadata.INVALID_SESSION_ID,
                    List.copyOf(f.toFetch().keySet()));
        }
        return new Answer(FetchMetadata.INVALID_SESSION_ID, List.of());
    }

    private List<TopicPartition> tellIncremental(
            Session session, Map<TopicPartition, PartitionData> fetched, Set<TopicPartition> onDisk) {
        List<TopicPartition> included = new ArrayList<>();
        List<TopicPartition> withRecords = new ArrayList<>();
        for (Map.Entry<TopicPartition, CachedPartition> e : session.partitions.entrySet()) {
            PartitionData data = fetched.get(e.getKey());
            boolean hasBatches = data != null
                    && (onDisk.contains(e.getKey()) || data.records().hasRemaining());
            if (data == null || e.getValue().tell(data, hasBatches)) {
                if (data == null) {
                    e.getValue().highWatermark = -1;
                }
                included.add(e.getKey());
                if (hasBatches) {
                    withRecords.add(e.getKey());
                }
            }
        }
        // Round robin across answers: what returned records goes to the back of the session's fetch order.
        for (TopicPartition tp : withRecords) {
            session.partitions.put(tp, session.partitions.remove(tp));
        }
        return included;
    }

    private int createSession(
            Map<TopicPartition, PartitionFetch> asked,
            Map<TopicPartition, PartitionData> fetched,
            Set<TopicPartition> onDisk) {
        long now = time.milliseconds();
        if (sessions.size() >= maxSlots && !tryEvict(asked.size(), now)) {
            return FetchMetadata.INVALID_SESSION_ID;
        }
        int id = randomInts.getAsInt();
        for (int tries = 1; id <= 0 || sessions.containsKey(id); tries++) {
            if (tries == MAX_ID_DRAWS) {
                return FetchMetadata.INVALID_SESSION_ID; // a stuck id source: no session, the client fetches in full
            }
            id = randomInts.getAsInt();
        }
        Session session = new Session(id, now);
        asked.forEach((tp, a) -> {
            CachedPartition cached = new CachedPartition(a);
            PartitionData data = fetched.get(tp);
            if (data != null) {
                cached.tell(data, onDisk.contains(tp) || data.records().hasRemaining());
            }
            session.partitions.put(tp, cached);
        });
        sessions.put(id, session);
        return id;
    }

    /** Frees a slot for a new session of {@code size} partitions if the rules allow (see the class comment). */
    private boolean tryEvict(int size, long now) {
        if (sessions.isEmpty()) {
            return false;
        }
        Session leastRecent = sessions.values().stream()
                .min(Comparator.comparingLong((Session s) -> s.lastUsedMs).thenComparingInt(s -> s.id))
                .orElseThrow();
        if (now - leastRecent.lastUsedMs > EVICTION_MS) {
            sessions.remove(leastRecent.id);
            return true;
        }
        Session smallest = sessions.values().stream()
                .filter(Session::evictable)
                .min(SMALLEST_FIRST)
                .orElse(null);
        if (smallest == null || smallest.partitions.size() >= size) {
            return false;
        }
        sessions.remove(smallest.id);
        return true;
    }

    /** The number of sessions held. */
    synchronized int size() {
        return sessions.size();
    }

    /** The ids of the sessions held. For tests. */
    synchronized List<Integer> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    /** The partitions of session {@code id} in fetch order, or null if there is no such session. For tests. */
    synchronized List<TopicPartition> partitionsOf(int id) {
        Session session = sessions.get(id);
        return session == null ? null : List.copyOf(session.partitions.keySet());
    }

    /** The epoch session {@code id} expects next, or -1 if there is no such session. For tests. */
    synchronized int expectedEpoch(int id) {
        Session session = sessions.get(id);
        return session == null ? -1 : session.epoch;
    }
}
