package io.weir.properties;

import io.weir.broker.internals.log.LogFiles;
import io.weir.common.utils.Time;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chains the properties found failing, kept as plain tests so that each fix stays covered whatever the properties'
 * seeds draw. Each names the seed and property that found it.
 */
class StreamsRegressionTest {

    /**
     * Found by {@link StreamsProperties} (seed 16002): a broker restart forgets the group's members, so the
     * application's next transactional offset commit is refused (CommitFailedException). The thread closed its tasks
     * but its consumer kept fetching for the old assignment until its next heartbeat, and the thread died on records
     * no task read. Now it rejoins at once, from the committed offsets.
     */
    @Test
    void aCommitRefusedByARestartedBrokersGroupRejoinsFromTheLastCommit() throws Exception {
        Path root = Files.createTempDirectory("weir-regression-");
        try (FaultyBroker broker = new FaultyBroker(root.resolve("broker"), FaultyBroker.defaults(), Time.SYSTEM)) {
            // Heartbeats far apart, so that the consumer does not learn of the restart from its heartbeat first.
            StreamsRun run = new StreamsRun(
                    broker,
                    root,
                    Map.of("consumer.heartbeat.interval.ms", 20_000, "consumer.session.timeout.ms", 60_000));
            try {
                run.input(List.of(0, 1, 2, 3));
                run.checkFinal();
                // The broker restarts while a commit is under way, and input arrives before the commit is refused.
                run.restartBrokerDuringCommit(true, List.of(4, 3, 2, 1, 0));
                run.checkFinal();
                run.checkQueriesSeeWholeCommits();
            } finally {
                run.close();
            }
        } finally {
            LogFiles.deleteRecursively(root);
        }
    }
}
