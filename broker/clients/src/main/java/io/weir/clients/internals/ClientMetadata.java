package io.weir.clients.internals;

import io.weir.common.errors.InvalidTopicException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.utils.Time;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A client's cache of topic metadata (partition count, per-topic configs such as {@code max.message.bytes}).
 * An entry is fetched on first use, refreshed in the background once older than {@code metadata.max.age.ms}
 * (callers keep using the old entry meanwhile), and dropped by {@link #invalidate} when the broker says the
 * topic or partition is unknown, so the next use fetches it again.
 *
 * <p>Thread-safe: producer threads, the sender thread and a consumer may all call it. Entries are immutable
 * and replaced whole; two threads missing the same topic at once may both ask the broker, which is harmless.
 */
public final class ClientMetadata {

    /** What the client knows about one topic. {@code maxMessageBytes} is {@link Integer#MAX_VALUE} if the broker did not say. */
    /** Whether asking for an unknown topic's metadata may create it (the broker's auto.create.topics.enable decides). */
    public enum TopicCreation {
        /** A producer's: sending to a topic creates it, as in Kafka. */
        AUTO_CREATE,
        /** A consumer's: reading never creates a topic. */
        EXISTING_ONLY
    }

    public record TopicInfo(
            String topic, int partitions, int maxMessageBytes, Map<String, String> configs, long fetchedAtNanos) {}

    private final BrokerApi broker;
    private final Time time;
    private final long maxAgeNanos;
    private final long retryBackoffMs;
    private final TopicCreation topicCreation;
    private final ConcurrentHashMap<String, TopicInfo> topics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Boolean> refreshing = new ConcurrentHashMap<>();

    public ClientMetadata(
            BrokerApi broker, Time time, long maxAgeMs, long retryBackoffMs, TopicCreation topicCreation) {
        this.broker = broker;
        this.time = time;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMs);
        this.retryBackoffMs = retryBackoffMs;
        this.topicCreation = topicCreation;
    }

    /**
     * The topic's metadata, waiting up to {@code maxWaitMs} for the broker to know it (Kafka's producer
     * waits the same way: a topic may be about to be created).
     *
     * @throws InvalidTopicException at once if the broker refuses the name
     * @throws TimeoutException naming the topic if it is still unknown after {@code maxWaitMs}
     */
    public TopicInfo topic(String topic, long maxWaitMs) {
        TopicInfo cached = topics.get(topic);
        if (cached != null) {
            if (time.nanoseconds() - cached.fetchedAtNanos() > maxAgeNanos) {
                refreshInBackground(topic);
            }
            return cached;
        }
        long deadline = time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        WeirException lastError;
        while (true) {
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - time.nanoseconds());
            MetadataResponse response = Futures.await(
                    broker.metadata(new MetadataRequest(List.of(topic), topicCreation == TopicCreation.AUTO_CREATE)),
                    Math.max(remainingMs, 1),
                    "metadata of topic '" + topic + "'");
            MetadataResponse.TopicMetadata md = response.topics().get(topic);
            if (md != null && md.error().isSuccess()) {
                return store(md);
            }
            lastError = md == null
                    ? new UnknownTopicOrPartitionException("Topic '" + topic + "' is not in the broker's metadata")
                    : md.error().exception();
            if (md != null && md.error().error() != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                throw lastError;
            }
            if (time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(retryBackoffMs) >= deadline) {
                throw new TimeoutException(
                        "Topic '" + topic + "' not present in metadata after " + maxWaitMs
                                + " ms (max.block.ms); the broker said: " + lastError.getMessage(),
                        lastError);
            }
            // Back off before asking again so an absent topic does not turn into a busy loop against the broker.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(retryBackoffMs));
        }
    }

    /** The cached entry, or null; never asks the broker. */
    public TopicInfo cached(String topic) {
        return topics.get(topic);
    }

    /** Forgets a topic after the broker called it unknown, so the next use asks again. */
    public void invalidate(String topic) {
        topics.remove(topic);
    }

    /** Fetches every topic's metadata, bypassing the cache (consumer {@code listTopics}). */
    public Map<String, TopicInfo> allTopics(long maxWaitMs) {
        MetadataResponse response =
                Futures.await(broker.metadata(MetadataRequest.allTopics()), maxWaitMs, "metadata of all topics");
        Map<String, TopicInfo> out = new java.util.TreeMap<>();
        for (MetadataResponse.TopicMetadata md : response.topics().values()) {
            if (md.error().isSuccess()) {
                out.put(md.topic(), store(md));
            }
        }
        return out;
    }

    private void refreshInBackground(String topic) {
        if (refreshing.putIfAbsent(topic, Boolean.TRUE) != null) {
            return;
        }
        broker.metadata(new MetadataRequest(List.of(topic), false)).whenComplete((response, error) -> {
            refreshing.remove(topic);
            if (error != null) {
                return; // keep the old entry; the next use past max age tries again
            }
            MetadataResponse.TopicMetadata md = response.topics().get(topic);
            if (md != null && md.error().isSuccess()) {
                store(md);
            } else if (md == null || md.error().error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                topics.remove(topic);
            }
        });
    }

    private TopicInfo store(MetadataResponse.TopicMetadata md) {
        Map<String, String> configs = md.configs() == null ? Map.of() : Map.copyOf(md.configs());
        int maxMessageBytes = Integer.MAX_VALUE;
        String configured = configs.get("max.message.bytes");
        if (configured != null) {
            try {
                maxMessageBytes = Integer.parseInt(configured.trim());
            } catch (NumberFormatException e) {
                // the broker validates its own configs; an unreadable value leaves the check to the broker
            }
        }
        TopicInfo info = new TopicInfo(md.topic(), md.partitions(), maxMessageBytes, configs, time.nanoseconds());
        topics.put(md.topic(), info);
        return info;
    }
}
