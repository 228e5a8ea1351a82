package io.weir.streams;

import static io.weir.streams.ForeignKeyJoinTest.APP;
import static io.weir.streams.ForeignKeyJoinTest.JOINER;
import static io.weir.streams.ForeignKeyJoinTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TableJoined;
import io.weir.streams.test.TestRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A foreign-key join stays right whatever order the answers to a row's changes arrive in. Two ways to make them
 * arrive late: the left table is read from a stream whose record {@code "v1|v2"} is several changes of one row,
 * applied in one step, so every answer to them arrives after the last change (as when a batch of changes is processed
 * before the answers come back from the right side's tasks); and answers read from the response topic are written to
 * it again, in another order, as answers from two foreign keys' tasks may arrive. {@code DEL} in a batch is a delete.
 * Each test checks the final result store and the exact changes of the result (the tests run without a cache).
 */
class ForeignKeyJoinAnswerOrderTest {
    private static final String RESPONSE_TOPIC = APP + "-fk-subscription-response-topic";

    /** Orders (in batches of changes) joined to products, the result kept in the store {@code result}. */
    private static final class Fixture implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, String> orders;
        final TestInputTopic<String, String> products;
        final TestOutputTopic<String, String> joined;
        final TestOutputTopic<byte[], byte[]> responses;
        final TestInputTopic<byte[], byte[]> lateResponses;

        Fixture(int partitions, boolean leftJoin) {
            StreamsBuilder builder = new StreamsBuilder();
            KTable<String, String> orderTable = builder.<String, String>stream("orders")
                    .flatMapValues(batch -> Arrays.stream(batch.split("\\|"))
                            .map(v -> v.equals("DEL") ? null : v)
                            .toList())
                    .toTable();
            KTable<String, String> productTable = builder.table("products");
            TableJoined<String, String> named = TableJoined.as("fk");
            KTable<String, String> result = leftJoin
                    ? orderTable.leftJoin(
                            productTable, ForeignKeyJoinTest::product, JOINER, named, Materialized.as("result"))
                    : orderTable.join(
                            productTable, ForeignKeyJoinTest::product, JOINER, named, Materialized.as("result"));
            result.toStream().to("joined");
            driver = new TopologyTestDriver(builder.build(), ForeignKeyJoinTest.props(partitions), T0);
            orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            products = driver.createInputTopic(
                    "products", Serdes.String().serializer(), Serdes.String().serializer());
            joined = driver.createOutputTopic(
                    "joined", Serdes.String().deserializer(), Serdes.String().deserializer());
            responses = driver.createOutputTopic(
                    RESPONSE_TOPIC,
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            lateResponses = driver.createInputTopic(
                    RESPONSE_TOPIC,
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
        }

        String result(String order) {
            return driver.<String, String>getKeyValueStore("result").get(order);
        }

        List<KeyValue<String, String>> read() {
            return joined.readKeyValuesToList();
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    /** Each of the {@code then} batches, from o1 joined to p1=apple, leaves the row with {@code expected}. */
    private static void check(int partitions, boolean leftJoin, String then, String expected) {
        try (Fixture f = new Fixture(partitions, leftJoin)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.orders.pipeInput("o1", then);
            String why = (leftJoin ? "left" : "inner") + " join, p1:5 then " + then;
            assertEquals(expected, f.result("o1"), why);
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", expected)), f.read(), why);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aDeleteAndAReinsertToAMissingKeyRetractTheResult(int partitions) {
        check(partitions, false, "DEL|p9:5", null);
        check(partitions, true, "DEL|p9:5", "p9:5/null");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aNullForeignKeyThenAMissingOneRetractTheResult(int partitions) {
        check(partitions, false, ":5|p9:5", null);
        check(partitions, true, ":5|p9:5", "p9:5/null");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aNullForeignKeyThenADeleteRetractTheResult(int partitions) {
        check(partitions, false, ":5|DEL", null);
        check(partitions, true, ":5|DEL", null);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aMissingKeyThenAPresentOneJoinsTheRowOnce(int partitions) {
        check(partitions, false, "p9:5|p1:6", "p1:6/apple");
        check(partitions, true, "p9:5|p1:6", "p1:6/apple");
    }

    /**
     * KAFKA-16394: a left row that moves from p1 to p2 is answered by p2 alone; the old key only unsubscribes. Were p1
     * to answer too, its answer would carry the same hash and, arriving after p2's, leave the row joined with null
     * though p2 exists.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLeftRowMovedToAnotherKeyIsAnsweredByTheNewKeyAloneWhateverTheOrder(int partitions) {
        try (Fixture f = new Fixture(partitions, true)) {
            f.products.pipeInput("p1", "apple");
            f.products.pipeInput("p2", "pear");
            f.orders.pipeInput("o1", "p1:5");
            f.responses.readRecordsToList();
            f.orders.pipeInput("o1", "p2:5");
            List<KeyValue<String, String>> inOrder = f.read();
            // The answers to the move again, the last first: as if p2's task had answered before p1's.
            List<TestRecord<byte[], byte[]>> answers = new ArrayList<>(f.responses.readRecordsToList());
            Collections.reverse(answers);
            answers.forEach(a -> f.lateResponses.pipeInput(a.key(), a.value()));
            assertEquals("p2:5/pear", f.result("o1"), "p2 exists: the row must not end joined with null");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", "p2:5/pear")), inOrder);
            assertEquals(1, answers.size(), "one answer per change");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aDeletedRowGetsOneTombstoneAndARowWithoutAMatchNone(int partitions) {
        for (boolean leftJoin : new boolean[] {false, true}) {
            try (Fixture f = new Fixture(partitions, leftJoin)) {
                f.products.pipeInput("p1", "apple");
                f.orders.pipeInput("o1", "p1:5|DEL");
                f.orders.pipeInput("o2", "p1:5");
                f.orders.pipeInput("o2", "DEL");
                f.orders.pipeInput("o3", "p9:1");
                f.orders.pipeInput("o3", "DEL");
                assertNull(f.result("o1"));
                assertNull(f.result("o2"));
                assertNull(f.result("o3"));
                List<KeyValue<String, String>> expected = leftJoin
                        ? List.of(
                                KeyValue.pair("o2", "p1:5/apple"),
                                KeyValue.pair("o2", null),
                                KeyValue.pair("o3", "p9:1/null"),
                                KeyValue.pair("o3", null))
                        : List.of(KeyValue.pair("o2", "p1:5/apple"), KeyValue.pair("o2", null));
                assertEquals(expected, f.read(), leftJoin ? "left join" : "inner join");
            }
        }
    }
}
