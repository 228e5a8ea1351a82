package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-clients' {@code Admin.listConsumerGroupOffsets} of a group the broker does not know (no member ever joined,
 * nothing committed): Apache Kafka 4.1 answers the OffsetFetch of all partitions with no offsets and no error (its
 * group coordinator's {@code fetchAllOffsets}), so tools and frameworks poll a group's progress before its first
 * commit without special cases. Weir answered {@code GROUP_ID_NOT_FOUND} until the Spring Kafka tests, which wait for a
 * container's first commit this way, found it; now both answer the same.
 */
@ExtendWith(KafkaBroker.class)
class OffsetFetchOfAnUnknownGroupTest {
    private static Map<?, ?> offsetsOfUnknownGroup(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            return admin.listConsumerGroupOffsets("never-joined")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void kafkaAnswersNoOffsetsForAGroupItDoesNotKnow() throws Exception {
        assertEquals(Map.of(), offsetsOfUnknownGroup(KafkaBroker.bootstrapServers()));
    }

    @Test
    void weirAnswersNoOffsetsForAGroupItDoesNotKnowAsKafkaDoes(@TempDir Path data) throws Exception {
        try (SpringOnWeir weir = SpringOnWeir.open(data)) {
            assertEquals(Map.of(), offsetsOfUnknownGroup(weir.bootstrap()));
        }
    }
}
