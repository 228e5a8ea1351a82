package io.weir.clients.admin.internals.network;

import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.ConsumerGroupState;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.ListTransactionsOptions;
import io.weir.clients.admin.MemberDescription;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.PartitionProducerState;
import io.weir.clients.admin.ProducerState;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.clients.admin.TransactionState;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.network.ConsumerConvert;
import io.weir.clients.internals.network.Convert;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.ListGroupsOptions;

/**
 * The consumer-group and transaction calls of {@link NetworkAdmin}, translated to and from kafka-clients' admin.
 * What Kafka's answers lack is filled the Kafka way: a classic group's generation is not in Kafka's
 * {@code ConsumerGroupDescription}, so it reads -1 (and the leader is empty); lag and offset resets are composed
 * of offset listings and commits, as {@code kafka-consumer-groups.sh} composes them. Thread-safe.
 */
final class NetworkGroupAdmin {
    private final org.apache.kafka.clients.admin.Admin kafka;
    private final NetworkAdmin admin;

    NetworkGroupAdmin(org.apache.kafka.clients.admin.Admin kafka, NetworkAdmin admin) {
        this.kafka = kafka;
        this.admin = admin;
    }

    CompletableFuture<Collection<ConsumerGroupListing>> listConsumerGroups() {
        return admin.open(() -> KafkaFutures.weir(
                kafka.listGroups(ListGroupsOptions.forConsumerGroups()).all(), all -> {
                    List<ConsumerGroupListing> out = new ArrayList<>();
                    all.forEach(g -> out.add(new ConsumerGroupListing(
                            g.groupId(),
                            g.groupState()
                                    .map(s -> ConsumerGroupState.parse(s.toString()))
                                    .orElse(ConsumerGroupState.UNKNOWN))));
                    return out;
                }));
    }

    KeyedResult<String, ConsumerGroupDescription> describeConsumerGroups(Collection<String> groupIds) {
        NetworkAdmin.requireNoNulls(groupIds, "describeConsumerGroups");
        return admin.open(() -> KafkaFutures.keyed(
                kafka.describeConsumerGroups(groupIds).describedGroups(), g -> g, NetworkGroupAdmin::weir));
    }

    private static ConsumerGroupDescription weir(org.apache.kafka.clients.admin.ConsumerGroupDescription g) {
        List<MemberDescription> members = new ArrayList<>();
        g.members()
                .forEach(m -> members.add(new MemberDescription(
                        m.consumerId(),
                        m.groupInstanceId(),
                        m.clientId(),
                        Convert.weir(m.assignment().topicPartitions()))));
        return new ConsumerGroupDescription(
                g.groupId(),
                ConsumerGroupState.parse(g.groupState().toString()),
                g.partitionAssignor() == null ? "" : g.partitionAssignor(),
                g.groupEpoch().orElse(-1),
                Optional.empty(),
                members);
    }

    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId) {
        return admin.open(() ->
                KafkaFutures.weir(kafka.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), offsets -> {
                    // Kafka may list a partition without a committed offset with null; Weir's answer leaves it out.
                    Map<TopicPartition, OffsetAndMetadata> out =
                            new TreeMap<>(Convert.toWeir(offsets, ConsumerConvert::weir));
                    out.values().removeIf(java.util.Objects::isNull);
                    return out;
                }));
    }

    CompletableFuture<Map<TopicPartition, GroupOffsetLag>> describeConsumerGroupLag(String groupId) {
        return listConsumerGroupOffsets(groupId).thenCompose(committed -> {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            return admin.listOffsets(latest).all().thenApply(ends -> {
                Map<TopicPartition, GroupOffsetLag> out = new TreeMap<>();
                committed.forEach((tp, o) ->
                        out.put(tp, new GroupOffsetLag(o.offset(), ends.get(tp).offset())));
                return out;
            });
        });
    }

    KeyedResult<TopicPartition, Void> alterConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        var request = Convert.toKafka(offsets, ConsumerConvert::kafka);
        return admin.open(() -> {
            var result = kafka.alterConsumerGroupOffsets(groupId, request);
            Map<TopicPartition, CompletableFuture<Void>> out = new HashMap<>();
            request.keySet().forEach(tp -> out.put(Convert.weir(tp), KafkaFutures.weir(result.partitionResult(tp))));
            return new KeyedResult<>(out);
        });
    }

    /** Looks each spec up, then commits what it found; a spec that finds nothing resolves to the log end. */
    KeyedResult<TopicPartition, OffsetAndMetadata> resetConsumerGroupOffsets(
            String groupId, Map<TopicPartition, OffsetSpec> specs) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        specs.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> targets = admin.listOffsets(specs)
                .all()
                .thenCombine(admin.listOffsets(latest).all(), (found, ends) -> {
                    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
                    found.forEach((tp, info) -> out.put(
                            tp,
                            new OffsetAndMetadata(
                                    info.offset() < 0 ? ends.get(tp).offset() : info.offset())));
                    return out;
                });
        CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> committed = targets.thenCompose(
                t -> alterConsumerGroupOffsets(groupId, t).all().thenApply(done -> t));
        Map<TopicPartition, CompletableFuture<OffsetAndMetadata>> out = new HashMap<>();
        specs.keySet().forEach(tp -> out.put(tp, committed.thenApply(all -> all.get(tp))));
        return new KeyedResult<>(out);
    }

    KeyedResult<String, Void> deleteConsumerGroups(Collection<String> groupIds) {
        NetworkAdmin.requireNoNulls(groupIds, "deleteConsumerGroups");
        return admin.open(
                () -> KafkaFutures.keyed(kafka.deleteConsumerGroups(groupIds).deletedGroups(), g -> g, v -> null));
    }

    CompletableFuture<Collection<TransactionListing>> listTransactions(ListTransactionsOptions options) {
        var kafkaOptions = new org.apache.kafka.clients.admin.ListTransactionsOptions();
        List<org.apache.kafka.clients.admin.TransactionState> states = new ArrayList<>();
        options.states().forEach(s -> states.add(kafka(s)));
        kafkaOptions.filterStates(states);
        kafkaOptions.filterProducerIds(options.producerIds());
        if (options.durationMs() > 0) {
            kafkaOptions.filterOnDuration(options.durationMs());
        }
        return admin.open(
                () -> KafkaFutures.weir(kafka.listTransactions(kafkaOptions).all(), all -> {
                    List<TransactionListing> out = new ArrayList<>();
                    all.forEach(
                            t -> out.add(new TransactionListing(t.transactionalId(), t.producerId(), weir(t.state()))));
                    return out;
                }));
    }

    KeyedResult<String, TransactionDescription> describeTransactions(Collection<String> transactionalIds) {
        NetworkAdmin.requireNoNulls(transactionalIds, "describeTransactions");
        return admin.open(() -> {
            var result = kafka.describeTransactions(transactionalIds);
            Map<String, org.apache.kafka.common.KafkaFuture<org.apache.kafka.clients.admin.TransactionDescription>>
                    perId = new HashMap<>();
            transactionalIds.forEach(id -> perId.put(id, result.description(id)));
            return KafkaFutures.keyed(
                    perId,
                    id -> id,
                    d -> new TransactionDescription(
                            d.coordinatorId(),
                            weir(d.state()),
                            d.producerId(),
                            d.producerEpoch(),
                            d.transactionTimeoutMs(),
                            // Kafka keeps the last transaction's start after it ends; Weir's reads empty then.
                            isOpen(d.state()) ? d.transactionStartTimeMs() : OptionalLong.empty(),
                            Set.copyOf(Convert.weir(d.topicPartitions()))));
        });
    }

    KeyedResult<TopicPartition, PartitionProducerState> describeProducers(Collection<TopicPartition> partitions) {
        NetworkAdmin.requireNoNulls(partitions, "describeProducers");
        var request = Convert.kafka(partitions);
        return admin.open(() -> {
            var result = kafka.describeProducers(request);
            Map<TopicPartition, CompletableFuture<PartitionProducerState>> out = new HashMap<>();
            request.forEach(tp -> out.put(Convert.weir(tp), KafkaFutures.weir(result.partitionResult(tp), state -> {
                List<ProducerState> producers = new ArrayList<>();
                state.activeProducers()
                        .forEach(p -> producers.add(new ProducerState(
                                p.producerId(),
                                p.producerEpoch(),
                                p.lastSequence(),
                                p.lastTimestamp(),
                                p.coordinatorEpoch(),
                                p.currentTransactionStartOffset())));
                return new PartitionProducerState(producers);
            })));
            return new KeyedResult<>(out);
        });
    }

    CompletableFuture<Void> abortTransaction(AbortTransactionSpec spec) {
        var kafkaSpec = new org.apache.kafka.clients.admin.AbortTransactionSpec(
                Convert.kafka(spec.topicPartition()), spec.producerId(), spec.producerEpoch(), spec.coordinatorEpoch());
        return admin.open(
                () -> KafkaFutures.weir(kafka.abortTransaction(kafkaSpec).all()));
    }

    private static boolean isOpen(org.apache.kafka.clients.admin.TransactionState state) {
        return switch (state) {
            case ONGOING, PREPARE_COMMIT, PREPARE_ABORT -> true;
            default -> false;
        };
    }

    private static org.apache.kafka.clients.admin.TransactionState kafka(TransactionState state) {
        return org.apache.kafka.clients.admin.TransactionState.valueOf(state.name());
    }

    private static TransactionState weir(org.apache.kafka.clients.admin.TransactionState state) {
        return TransactionState.valueOf(state.name());
    }
}
