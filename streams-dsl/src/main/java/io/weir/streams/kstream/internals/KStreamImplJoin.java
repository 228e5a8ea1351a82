package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.StreamJoined;
import io.weir.streams.kstream.ValueJoinerWithKey;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.WindowBytesStoreSupplier;
import io.weir.streams.state.internals.StoreFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a stream-stream join into the topology, named as Kafka Streams names it: each side repartitioned if its key
 * may have changed ({@code <name>-left} / {@code <name>-right}, or the stream's node name), then per side a
 * {@code KSTREAM-WINDOWED-} node keeping the side's window store and a {@code KSTREAM-JOINTHIS-} /
 * {@code KSTREAM-JOINOTHER-} join ({@code OUTERTHIS} / {@code OUTEROTHER} on an outer side) reading the other side's
 * store, and a {@code KSTREAM-MERGE-} node joining the two result streams. Both sides must be co-partitioned.
 */
final class KStreamImplJoin {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamImplJoin.class);

    private KStreamImplJoin() {}

    /** Which sides emit their records' non-joined results. */
    enum Kind {
        INNER(false, false),
        LEFT(true, false),
        OUTER(true, true);

        final boolean leftOuter;
        final boolean rightOuter;

        Kind(boolean leftOuter, boolean rightOuter) {
            this.leftOuter = leftOuter;
            this.rightOuter = rightOuter;
        }
    }

    @SuppressWarnings("unchecked")
    static <K, V, VO, VR> KStream<K, VR> join(
            KStreamImpl<K, V> lhs,
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined,
            Kind kind) {
        Objects.requireNonNull(otherStream, "otherStream");
        Objects.requireNonNull(joiner, "joiner");
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(streamJoined, "streamJoined");
        KStreamImpl<K, VO> rhs = (KStreamImpl<K, VO>) otherStream;
        InternalStreamsBuilder builder = lhs.builder();
        String name = streamJoined.name();
        Serde<K> keySerde = streamJoined.keySerde() != null ? streamJoined.keySerde() : lhs.keySerde();
        Serde<V> valueSerde = streamJoined.valueSerde() != null ? streamJoined.valueSerde() : lhs.valueSerde();
        Serde<VO> otherValueSerde =
                streamJoined.otherValueSerde() != null ? streamJoined.otherValueSerde() : rhs.valueSerde();

        // Kafka's order of generated names: the repartitions, both windowed nodes, both joins, the merge.
        String thisParent = lhs.joinParent(name == null ? null : name + "-left", keySerde, valueSerde);
        String otherParent = rhs.joinParent(name == null ? null : name + "-right", keySerde, otherValueSerde);
        String thisWindowed = named(builder, name, "-this-windowed", "KSTREAM-WINDOWED-");
        String otherWindowed = named(builder, name, "-other-windowed", "KSTREAM-WINDOWED-");
        String thisGenerated = builder.newName(kind.rightOuter ? "KSTREAM-OUTERTHIS-" : "KSTREAM-JOINTHIS-");
        String otherGenerated = builder.newName(kind.leftOuter ? "KSTREAM-OUTEROTHER-" : "KSTREAM-JOINOTHER-");
        String thisSuffix = kind.rightOuter ? "-outer-this-join" : "-this-join";
        String otherSuffix = kind.leftOuter ? "-outer-other-join" : "-other-join";
        String joinThis = name == null ? thisGenerated : name + thisSuffix;
        String joinOther = name == null ? otherGenerated : name + otherSuffix;
        String merge = named(builder, name, "-merge", "KSTREAM-MERGE-");

        WindowBytesStoreSupplier thisSupplier = streamJoined.thisStoreSupplier();
        WindowBytesStoreSupplier otherSupplier = streamJoined.otherStoreSupplier();
        if (thisSupplier != null && otherSupplier != null && thisSupplier.name().equals(otherSupplier.name())) {
            throw new StreamsException("Both StoreSuppliers have the same name (" + thisSupplier.name()
                    + "). StoreSuppliers must provide unique names");
        }
        String baseName = streamJoined.storeName();
        if (baseName == null && (thisSupplier == null || otherSupplier == null)) {
            LOG.warn(
                    "The stores of the join {} have generated names, which change when operators are added before it, "
                            + "losing their state: name them with StreamJoined.as(\"...\")",
                    joinThis);
        }
        var thisStore = windowStore(
                thisSupplier, baseName == null ? thisGenerated : baseName + thisSuffix, windows, streamJoined);
        var otherStore = windowStore(
                otherSupplier, baseName == null ? otherGenerated : baseName + otherSuffix, windows, streamJoined);

        String outerStoreName = null;
        StoreFactory outerStore = null;
        if (kind.leftOuter) {
            String suffix = kind.rightOuter ? "-outer-shared-join" : "-left-shared-join";
            String base = thisSupplier != null
                    ? thisSupplier.name() + suffix
                    : baseName != null
                            ? baseName + suffix
                            : "KSTREAM-OUTERSHARED-" + thisGenerated.substring(thisGenerated.lastIndexOf('-') + 1);
            outerStoreName = base + "-store";
            outerStore = new OuterJoinStore(
                    outerStoreName,
                    thisStore.persistent(),
                    streamJoined.loggingEnabled(),
                    streamJoined.topicConfig(),
                    keySerde,
                    valueSerde,
                    otherValueSerde);
        }

        KStreamKStreamJoin.Spec spec = new KStreamKStreamJoin.Spec(
                (ValueJoinerWithKey<Object, Object, Object, Object>) joiner,
                windows.beforeMs,
                windows.afterMs,
                windows.gracePeriodMs(),
                kind.leftOuter,
                kind.rightOuter,
                thisStore.name(),
                otherStore.name(),
                outerStoreName,
                new JoinTimeTracker.Supplier());
        var topology = builder.topology();
        long thisLateAfter = spec.closeAfter(Math.max(windows.afterMs, 0));
        long otherLateAfter = spec.closeAfter(Math.max(windows.beforeMs, 0));
        ProcessorSupplier<K, V, K, V> thisWindow =
                () -> new KStreamJoinWindow<>(thisWindowed, thisStore.name(), thisLateAfter, spec.trackers());
        ProcessorSupplier<K, VO, K, VO> otherWindow =
                () -> new KStreamJoinWindow<>(otherWindowed, otherStore.name(), otherLateAfter, spec.trackers());
        topology.addProcessor(thisWindowed, thisWindow, thisParent);
        topology.addStateStore(
                logged(Stores.windowStoreBuilder(thisStore, keySerde, valueSerde), streamJoined), thisWindowed);
        topology.addProcessor(otherWindowed, otherWindow, otherParent);
        topology.addStateStore(
                logged(Stores.windowStoreBuilder(otherStore, keySerde, otherValueSerde), streamJoined), otherWindowed);
        ProcessorSupplier<K, V, K, VR> thisJoin = () -> new KStreamKStreamJoin<>(joinThis, spec, true);
        ProcessorSupplier<K, VO, K, VR> otherJoin = () -> new KStreamKStreamJoin<>(joinOther, spec, false);
        topology.addProcessor(joinThis, thisJoin, thisWindowed);
        topology.addProcessor(joinOther, otherJoin, otherWindowed);
        topology.connectProcessorAndStores(joinThis, otherStore.name());
        topology.connectProcessorAndStores(joinOther, thisStore.name());
        if (outerStore != null) {
            topology.addStateStore(outerStore, joinThis, joinOther);
        }
        KStreamImpl.Body<K, VR, K, VR> passThrough = (r, c) -> c.forward(r);
        topology.addProcessor(merge, KStreamImpl.stateless(passThrough), joinThis, joinOther);
        topology.requireCopartitioned(joinThis);
        return new KStreamImpl<>(builder, merge, keySerde, null, false);
    }

    private static String named(InternalStreamsBuilder builder, String name, String suffix, String prefix) {
        return name != null ? name + suffix : builder.newName(prefix);
    }

    /**
     * The retention a join's window store needs: every record a not-late record can match must still be in the store,
     * and a record is late only once stream time passes {@code t + max(extent, 0) + grace}; so
     * {@code max(max(after, 0) + before, max(before, 0) + after) + grace + 1} ({@code size + grace + 1} for the usual
     * non-negative windows; Kafka keeps {@code size + grace}, which loses a match at the very edge of the grace).
     */
    static long retention(JoinWindows windows) {
        long reach = Math.max(
                KStreamKStreamJoin.Spec.saturatedAdd(Math.max(windows.afterMs, 0), windows.beforeMs),
                KStreamKStreamJoin.Spec.saturatedAdd(Math.max(windows.beforeMs, 0), windows.afterMs));
        return KStreamKStreamJoin.Spec.saturatedAdd(
                KStreamKStreamJoin.Spec.saturatedAdd(reach, windows.gracePeriodMs()), 1);
    }

    /**
     * A side's window store: the user's supplier, checked, or one on LMDB named {@code <base>-store}.
     *
     * @throws StreamsException if the user's supplier does not retain duplicates or keeps too little
     */
    private static WindowBytesStoreSupplier windowStore(
            WindowBytesStoreSupplier supplier, String base, JoinWindows windows, StreamJoined<?, ?, ?> joined) {
        long retention = retention(windows);
        if (supplier == null) {
            return Stores.persistentWindowStore(
                    base + "-store",
                    Duration.ofMillis(retention),
                    Duration.ofMillis(Math.max(windows.size(), 1)),
                    true);
        }
        if (!supplier.retainDuplicates()) {
            throw new StreamsException("The StoreSupplier of " + supplier.name()
                    + " must set retainDuplicates=true, found retainDuplicates=false");
        }
        if (supplier.retentionPeriod() < retention) {
            throw new StreamsException("The window store " + supplier.name() + " keeps " + supplier.retentionPeriod()
                    + " ms, less than the " + retention + " ms the join needs with " + windows
                    + " (before + after + grace + 1)");
        }
        return supplier;
    }

    /**
     * Caching off (each put is its own entry), and logging as {@code joined} asks: to a changelog deleted by time only
     * ({@code cleanup.policy=delete}, as Kafka Streams configures it for these stores), or none.
     */
    private static StoreFactory logged(StoreBuilder<?> store, StreamJoined<?, ?, ?> joined) {
        store.withCachingDisabled();
        if (joined.loggingEnabled()) {
            Map<String, String> config = new HashMap<>(joined.topicConfig());
            config.put("cleanup.policy", "delete");
            store.withLoggingEnabled(config);
        } else {
            store.withLoggingDisabled();
        }
        return (StoreFactory) store;
    }
}
