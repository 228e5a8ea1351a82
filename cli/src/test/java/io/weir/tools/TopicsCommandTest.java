package io.weir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.weir.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;

    @BeforeEach
    void open() {
        broker = Cli.broker(dir);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void createsListsDescribesAltersAndDeletes() throws Exception {
        Cli.Result created = Cli.run(Cli.on(
                broker,
                "topics",
                "--create",
                "--topic",
                "orders",
                "--partitions",
                "3",
                "--config",
                "cleanup.policy=compact"));
        assertEquals(0, created.code(), created::toString);
        assertEquals("Created topic orders.\n", created.out());

        assertEquals(
                List.of("orders"), Cli.run(Cli.on(broker, "topics", "--list")).lines());

        Cli.Result described = Cli.run(Cli.on(broker, "topics", "--describe", "--topic", "orders"));
        assertEquals(0, described.code(), described::toString);
        assertTrue(
                described
                        .out()
                        .startsWith(
                                "Topic: orders\tPartitionCount: 3\tReplicationFactor: 1\tConfigs: cleanup.policy=compact\n"),
                described::toString);
        assertEquals(
                List.of(
                        "PARTITION  LEADER  LOG-START-OFFSET  LOG-END-OFFSET",
                        "0          0       0                 0"),
                described.lines().subList(1, 3));

        Cli.Result altered = Cli.run(Cli.on(
                broker,
                "topics",
                "--alter",
                "--topic",
                "orders",
                "--partitions",
                "5",
                "--config",
                "retention.ms=1000",
                "--delete-config",
                "cleanup.policy"));
        assertEquals(0, altered.code(), altered::toString);
        JsonNode json = Table.JSON.readTree(
                Cli.run(Cli.on(broker, "topics", "--describe", "--topic", "orders", "--output", "json"))
                        .out());
        assertEquals(5, json.get(0).get("partitionCount").asInt());
        assertEquals("1000", json.get(0).get("configs").get("retention.ms").asText());
        assertTrue(json.get(0).get("configs").get("cleanup.policy") == null, json::toString);
        assertEquals(5, json.get(0).get("partitions").size());

        Cli.Result deleted = Cli.run(Cli.on(broker, "topics", "--delete", "--topic", "orders"));
        assertEquals(0, deleted.code(), deleted::toString);
        assertEquals(List.of(), Cli.run(Cli.on(broker, "topics", "--list")).lines());
    }

    @Test
    void regularExpressionSelectsTopicsToDescribe() {
        for (String name : List.of("orders-eu", "orders-us", "payments")) {
            assertEquals(
                    0,
                    Cli.run(Cli.on(broker, "topics", "--create", "--topic", name))
                            .code());
        }
        Cli.Result listed = Cli.run(Cli.on(broker, "topics", "--list", "--topic", "orders-.*"));
        assertEquals(List.of("orders-eu", "orders-us"), listed.lines());
    }

    @Test
    void creatingAnExistingTopicFailsUnlessIfNotExists() {
        assertEquals(
                0, Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t")).code());
        Cli.Result again = Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t"));
        assertEquals(1, again.code(), again::toString);
        assertTrue(again.err().contains("t") && again.err().toLowerCase().contains("exists"), again::toString);
        assertEquals(
                0,
                Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t", "--if-not-exists"))
                        .code());
    }

    @Test
    void describingAnUnknownTopicFailsWithItsName() {
        Cli.Result result = Cli.run(Cli.on(broker, "topics", "--describe", "--topic", "nope"));
        assertEquals(1, result.code(), result::toString);
        assertTrue(result.err().startsWith("weir topics: Topic 'nope' does not exist"), result::toString);
        assertEquals(
                0,
                Cli.run(Cli.on(broker, "topics", "--delete", "--topic", "nope", "--if-exists"))
                        .code());
    }

    @Test
    void badConfigKeyAndValueAreRefusedAndNothingIsCreated() {
        Cli.Result badKey = Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t", "--config", "no.such=1"));
        assertEquals(1, badKey.code(), badKey::toString);
        assertTrue(badKey.err().contains("no.such"), badKey::toString);
        Cli.Result badValue =
                Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t", "--config", "retention.ms=soon"));
        assertEquals(1, badValue.code(), badValue::toString);
        assertTrue(badValue.err().contains("retention.ms"), badValue::toString);
        assertEquals(List.of(), Cli.run(Cli.on(broker, "topics", "--list")).lines());
    }

    @Test
    void invalidTopicNameAndReplicationFactorAreRefused() {
        Cli.Result badName = Cli.run(Cli.on(broker, "topics", "--create", "--topic", "no/slashes"));
        assertEquals(1, badName.code(), badName::toString);
        assertTrue(badName.err().contains("no/slashes"), badName::toString);
        Cli.Result replicas =
                Cli.run(Cli.on(broker, "topics", "--create", "--topic", "t", "--replication-factor", "3"));
        assertEquals(1, replicas.code(), replicas::toString);
        assertTrue(replicas.err().contains("one copy"), replicas::toString);
    }

    @Test
    void aMissingActionIsAUsageError() {
        Cli.Result result = Cli.run(Cli.on(broker, "topics", "--topic", "t"));
        assertEquals(2, result.code(), result::toString);
        assertTrue(result.err().contains("--create"), result::toString);
    }

    @Test
    void aMistypedVerbSuggestsTheRightOne() {
        Cli.Result result = Cli.run("topic", "--list");
        assertEquals(2, result.code(), result::toString);
        assertTrue(result.err().contains("topics"), result::toString);
    }
}
