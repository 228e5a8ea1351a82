package io.weir.tools;

import io.weir.common.errors.UnknownTopicOrPartitionException;
import java.util.Set;

/** Checks the verbs that read or write one topic make before they start. */
final class Topics {
    private Topics() {}

    /**
     * @throws UnknownTopicOrPartitionException if the topic does not exist: the console tools refuse to rely on
     *         automatic topic creation, so a typo fails at once instead of creating a topic or waiting for one
     */
    static void requireExists(Connection conn, String topic) throws Exception {
        Set<String> topics = conn.await(conn.admin().listTopics());
        if (!topics.contains(topic) && !topic.startsWith("__")) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic
                    + "' does not exist (create it with: weir topics --create --topic " + topic + ")");
        }
    }
}
