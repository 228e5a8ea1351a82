package io.weir.streams.randomtopology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

/**
 * Random topologies against a reference interpreter (issue 14). A topology is one to three roots, each written to its
 * own topic, built from a small grammar ({@link StreamExpr}, {@link TableExpr}): stateless chains (filter, mapValues,
 * selectKey and map that change keys, flatMapValues), stream aggregations (count, reduce, aggregate; by key or by a
 * new key through a repartition topic), table aggregations with a subtractor (KTable.groupBy then count, reduce or
 * aggregate), stream-table join and left join, table-table join, left join and outer join, foreign-key join and
 * left join, stream-stream join, left join and outer join (see {@link StreamJoins}: windows that close only at the
 * end), and windowed aggregations. Every stream aggregation
 * also runs windowed (the same fold by tumbling windows of {@value Outcome#WINDOW_MS} ms, with a grace longer than the
 * input's time span, so that no partitioning makes a record late), and its window store is compared per group and
 * window start with the reference's fold of each window's records. A root may also be a windowed aggregation of its
 * own ({@link WindowedExpr}): tumbling, hopping or session windows with a grace of 0 to a few windows over the input's
 * out-of-order timestamps (rounded to 10 ms in half of them, so that records fall exactly on the grace boundary), its
 * window or session store compared with the reference's per-task replay of stream time, where closed windows drop
 * records. A few hundred records go
 * in: six keys, so keys collide, and some table tombstones. The topology runs through the {@code TopologyTestDriver}
 * at one partition and at two to four, and each run must agree with the {@link Reference} on every named store's
 * final contents (through {@code getKeyValueStore} and {@code getTimestampedKeyValueStore}), on the timestamps of
 * source tables' and stream aggregations' rows, on each table root's last value per key and on each stream root's
 * values per key.
 *
 * <p>Only what Kafka Streams defines is compared, whatever the partitioning and however a runtime interleaves
 * partitions. Records of one key stay in order (same key, same partition), but once a key changes, records of a new
 * key come from several input partitions in no defined order. So:
 * <ul>
 *   <li>an order-sensitive stream aggregation (the latest value, a hash chain) is generated only when grouped by the
 *       key the source gave; after a key change only commutative ones (count, sum, sum of squares);
 *   <li>a table aggregation's adder and subtractor are exact inverses over positive weights, so the aggregate is the
 *       sum over the group's current rows in any order; a group whose rows all left stays in the store at 0, and
 *       whether it exists depends on intermediate rows (which caching and interleaving may skip), so groups at 0 are
 *       left out of the store comparison and filtered out before anything downstream reads the aggregate;
 *   <li>tables are compared by final rows and last values only, which a key's in-order updates define; a tombstone
 *       for a key never written counts as no record;
 *   <li>a stream root's values per key are compared in order when its key never changed, as a sorted multiset
 *       otherwise;
 *   <li>what a stream record joins with depends on which table updates came first. The table side of a stream-table
 *       join reads no stream, and when a topology has such a join every table record is piped, with smaller
 *       timestamps, before every stream record: the stream then meets the tables' final rows in any runtime.
 *       Otherwise table and stream records interleave at random.
 * </ul>
 *
 * <p>Seeded, so the suite is deterministic; jqwik prints the seed and the shrunk topology (as DSL code) and input of
 * a failure. {@code mvn verify -Dsoak} adds a run with random seeds and many more tries.
 */
class RandomTopologyProperties {

    @Provide
    Arbitrary<RandomTopology> topologies() {
        return TopologyArbitraries.topologies();
    }

    @Provide
    Arbitrary<List<Input.Event>> events() {
        return TopologyArbitraries.events();
    }

    @Property(tries = 200, seed = "20250614", edgeCases = EdgeCasesMode.NONE)
    void everyPartitioningAgreesWithTheReference(
            @ForAll("topologies") RandomTopology topology,
            @ForAll("events") List<Input.Event> events,
            @ForAll @IntRange(min = 2, max = 4) int partitions) {
        check(topology, events, partitions);
    }

    /** The same with random seeds and many more tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    @Tag("soak")
    void soakEveryPartitioningAgreesWithTheReference(
            @ForAll("topologies") RandomTopology topology,
            @ForAll("events") List<Input.Event> events,
            @ForAll @IntRange(min = 2, max = 4) int partitions) {
        check(topology, events, partitions);
    }

    private static void check(RandomTopology topology, List<Input.Event> events, int partitions) {
        List<Input.Record> input = StreamJoins.withClosers(topology, Input.place(topology, events));
        assertAgrees(
                Reference.run(topology, input, 1), WeirRun.run(topology, input, 1), " at 1 partition, input " + input);
        assertAgrees(
                Reference.run(topology, input, partitions),
                WeirRun.run(topology, input, partitions),
                " at " + partitions + " partitions, input " + input);
    }

    private static void assertAgrees(Outcome expected, Outcome actual, String context) {
        expected.stores()
                .forEach((store, rows) ->
                        assertEquals(rows, actual.stores().get(store), () -> "store " + store + context));
        expected.storeTimestamps()
                .forEach((store, rows) -> assertEquals(
                        rows, actual.storeTimestamps().get(store), () -> "timestamps of store " + store + context));
        expected.tableOutputs()
                .forEach((topic, rows) -> assertEquals(
                        rows, actual.tableOutputs().get(topic), () -> "last values in " + topic + context));
        expected.streamOutputs()
                .forEach((topic, values) -> assertEquals(
                        values, actual.streamOutputs().get(topic), () -> "values per key in " + topic + context));
    }
}
