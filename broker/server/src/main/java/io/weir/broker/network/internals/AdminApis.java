package io.weir.broker.network.internals;

import static io.weir.broker.network.internals.KafkaApis.code;
import static io.weir.broker.network.internals.KafkaApis.message;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ConfigResourceKey;
import io.weir.common.protocol.CreatePartitionsRequest;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.DescribeConfigsRequest;
import io.weir.common.protocol.DescribeConfigsResponse;
import io.weir.common.protocol.IncrementalAlterConfigsRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Topic, record, configuration and cluster administration (CreateTopics, DeleteTopics, CreatePartitions,
 * DeleteRecords, DescribeConfigs, IncrementalAlterConfigs, DescribeCluster), translated to {@link BrokerApi}. A
 * cluster of one: a replication factor other than 1 (or -1, the default) is INVALID_REPLICATION_FACTOR.
 * Stateless; any thread.
 */
final class AdminApis {
    private final BrokerApi broker;
    private final Supplier<BrokerIdentity> identity;

    AdminApis(BrokerApi broker, Supplier<BrokerIdentity> identity) {
        this.broker = broker;
        this.identity = identity;
    }

    CompletableFuture<CreateTopicsResponseData> createTopics(AbstractRequest request) {
        CreateTopicsRequestData in = (CreateTopicsRequestData) request.data();
        List<CreateTopicsRequest.NewTopicSpec> specs = new ArrayList<>();
        Map<String, ApiError> refused = new HashMap<>();
        for (CreateTopicsRequestData.CreatableTopic topic : in.topics()) {
            if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1) {
                refused.put(
                        topic.name(),
                        new ApiError(
                                io.weir.common.protocol.Errors.INVALID_REQUEST,
                                "Replication factor " + topic.replicationFactor() + " is larger than the 1 broker"
                                        + " of this Weir cluster"));
                continue;
            }
            Map<String, String> configs = new HashMap<>();
            topic.configs().forEach(c -> configs.put(c.name(), c.value()));
            int partitions = topic.assignments().isEmpty()
                    ? topic.numPartitions()
                    : topic.assignments().size();
            specs.add(new CreateTopicsRequest.NewTopicSpec(topic.name(), partitions, configs));
        }
        return broker.createTopics(new CreateTopicsRequest(specs, in.validateOnly()))
                .thenApply(r -> {
                    CreateTopicsResponseData out = new CreateTopicsResponseData();
                    for (CreateTopicsRequestData.CreatableTopic topic : in.topics()) {
                        ApiError error = refused.containsKey(topic.name())
                                ? refused.get(topic.name())
                                : r.results().getOrDefault(topic.name(), ApiError.NONE);
                        short errorCode = refused.containsKey(topic.name())
                                ? Errors.INVALID_REPLICATION_FACTOR.code()
                                : code(error);
                        var result = new CreateTopicsResponseData.CreatableTopicResult()
                                .setName(topic.name())
                                .setErrorCode(errorCode)
                                .setErrorMessage(message(error));
                        if (error.isSuccess()) {
                            // As Kafka: the answer names what was (or would be) created, defaults resolved.
                            int asked = topic.assignments().isEmpty()
                                    ? topic.numPartitions()
                                    : topic.assignments().size();
                            result.setNumPartitions(r.partitions().getOrDefault(topic.name(), asked))
                                    .setReplicationFactor((short) 1);
                        }
                        out.topics().add(result);
                    }
                    return out;
                });
    }

    CompletableFuture<DeleteTopicsResponseData> deleteTopics(AbstractRequest request) {
        DeleteTopicsRequestData in = (DeleteTopicsRequestData) request.data();
        List<String> names = new ArrayList<>(in.topicNames());
        in.topics().forEach(t -> {
            if (t.name() != null) {
                names.add(t.name());
            }
        });
        return broker.deleteTopics(new DeleteTopicsRequest(names)).thenApply(r -> {
            DeleteTopicsResponseData out = new DeleteTopicsResponseData();
            for (String name : names) {
                ApiError error = r.results().getOrDefault(name, ApiError.NONE);
                out.responses()
                        .add(new DeleteTopicsResponseData.DeletableTopicResult()
                                .setName(name)
                                .setErrorCode(code(error))
                                .setErrorMessage(message(error)));
            }
            return out;
        });
    }

    CompletableFuture<CreatePartitionsResponseData> createPartitions(AbstractRequest request) {
        CreatePartitionsRequestData in = (CreatePartitionsRequestData) request.data();
        Map<String, Integer> counts = new LinkedHashMap<>();
        in.topics().forEach(t -> counts.put(t.name(), t.count()));
        return broker.createPartitions(new CreatePartitionsRequest(counts, in.validateOnly()))
                .thenApply(r -> {
                    CreatePartitionsResponseData out = new CreatePartitionsResponseData();
                    counts.keySet().forEach(name -> {
                        ApiError error = r.results().getOrDefault(name, ApiError.NONE);
                        out.results()
                                .add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                                        .setName(name)
                                        .setErrorCode(code(error))
                                        .setErrorMessage(message(error)));
                    });
                    return out;
                });
    }

    CompletableFuture<DeleteRecordsResponseData> deleteRecords(AbstractRequest request) {
        DeleteRecordsRequestData in = (DeleteRecordsRequestData) request.data();
        Map<TopicPartition, Long> before = new LinkedHashMap<>();
        in.topics().forEach(t -> t.partitions()
                .forEach(p -> before.put(new TopicPartition(t.name(), p.partitionIndex()), p.offset())));
        return broker.deleteRecords(new DeleteRecordsRequest(before)).thenApply(r -> {
            DeleteRecordsResponseData out = new DeleteRecordsResponseData();
            Map<String, DeleteRecordsResponseData.DeleteRecordsTopicResult> byTopic = new HashMap<>();
            before.keySet().forEach(tp -> {
                var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                    var created = new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(name);
                    out.topics().add(created);
                    return created;
                });
                DeleteRecordsResponse.PartitionResult result = r.partitions().get(tp);
                topic.partitions()
                        .add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(tp.partition())
                                .setLowWatermark(result == null ? -1 : result.lowWatermark())
                                .setErrorCode(
                                        result == null ? Errors.UNKNOWN_SERVER_ERROR.code() : code(result.error())));
            });
            return out;
        });
    }

    CompletableFuture<DescribeConfigsResponseData> describeConfigs(AbstractRequest request) {
        DescribeConfigsRequestData in = (DescribeConfigsRequestData) request.data();
        List<ConfigResourceKey> known = new ArrayList<>();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : in.resources()) {
            ConfigResourceKey key = resourceKey(resource.resourceType(), resource.resourceName());
            if (key != null) {
                known.add(key);
            }
        }
        return broker.describeConfigs(new DescribeConfigsRequest(known)).thenApply(r -> {
            DescribeConfigsResponseData out = new DescribeConfigsResponseData();
            for (DescribeConfigsRequestData.DescribeConfigsResource resource : in.resources()) {
                var result = new DescribeConfigsResponseData.DescribeConfigsResult()
                        .setResourceType(resource.resourceType())
                        .setResourceName(resource.resourceName());
                ConfigResourceKey key = resourceKey(resource.resourceType(), resource.resourceName());
                DescribeConfigsResponse.ResourceConfigs configs =
                        key == null ? null : r.results().get(key);
                if (configs == null) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("Weir describes topics (2) and brokers (4), not resource type "
                                    + resource.resourceType());
                } else {
                    result.setErrorCode(code(configs.error())).setErrorMessage(message(configs.error()));
                    for (DescribeConfigsResponse.ConfigValue value : configs.configs()) {
                        if (resource.configurationKeys() != null
                                && !resource.configurationKeys().contains(value.name())) {
                            continue;
                        }
                        result.configs()
                                .add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                                        .setName(value.name())
                                        .setValue(value.sensitive() ? null : value.value())
                                        .setReadOnly(value.readOnly())
                                        .setConfigSource(value.source().code())
                                        .setIsSensitive(value.sensitive()));
                    }
                }
                out.results().add(result);
            }
            return out;
        });
    }

    CompletableFuture<IncrementalAlterConfigsResponseData> incrementalAlterConfigs(AbstractRequest request) {
        IncrementalAlterConfigsRequestData in = (IncrementalAlterConfigsRequestData) request.data();
        Map<ConfigResourceKey, List<IncrementalAlterConfigsRequest.AlterableConfig>> resources = new LinkedHashMap<>();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : in.resources()) {
            ConfigResourceKey key = resourceKey(resource.resourceType(), resource.resourceName());
            if (key == null || !validOps(resource)) {
                continue; // answered INVALID_REQUEST below, nothing of it applied
            }
            List<IncrementalAlterConfigsRequest.AlterableConfig> ops = new ArrayList<>();
            for (IncrementalAlterConfigsRequestData.AlterableConfig c : resource.configs()) {
                IncrementalAlterConfigsRequest.OpType op =
                        IncrementalAlterConfigsRequest.OpType.values()[c.configOperation()];
                ops.add(new IncrementalAlterConfigsRequest.AlterableConfig(c.name(), op, c.value()));
            }
            resources.put(key, ops);
        }
        return broker.incrementalAlterConfigs(new IncrementalAlterConfigsRequest(resources, in.validateOnly()))
                .thenApply(r -> {
                    IncrementalAlterConfigsResponseData out = new IncrementalAlterConfigsResponseData();
                    for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : in.resources()) {
                        ConfigResourceKey key = resourceKey(resource.resourceType(), resource.resourceName());
                        var result = new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                                .setResourceType(resource.resourceType())
                                .setResourceName(resource.resourceName());
                        if (key == null || !validOps(resource)) {
                            result.setErrorCode(Errors.INVALID_REQUEST.code())
                                    .setErrorMessage("Weir alters topics (2) and brokers (4) with operations 0-3");
                        } else {
                            ApiError error = r.results().getOrDefault(key, ApiError.NONE);
                            result.setErrorCode(code(error)).setErrorMessage(message(error));
                        }
                        out.responses().add(result);
                    }
                    return out;
                });
    }

    private static boolean validOps(IncrementalAlterConfigsRequestData.AlterConfigsResource resource) {
        for (IncrementalAlterConfigsRequestData.AlterableConfig c : resource.configs()) {
            if (c.configOperation() < 0 || c.configOperation() > 3) {
                return false;
            }
        }
        return true;
    }

    CompletableFuture<DescribeClusterResponseData> describeCluster(AbstractRequest request) {
        return broker.describeCluster().thenApply(r -> {
            BrokerIdentity me = identity.get();
            DescribeClusterResponseData out = new DescribeClusterResponseData()
                    .setClusterId(me.clusterId())
                    .setControllerId(me.nodeId());
            out.brokers()
                    .add(new DescribeClusterResponseData.DescribeClusterBroker()
                            .setBrokerId(me.nodeId())
                            .setHost(me.host())
                            .setPort(me.port()));
            return out;
        });
    }

    private static ConfigResourceKey resourceKey(byte type, String name) {
        for (ConfigResourceKey.Type t : ConfigResourceKey.Type.values()) {
            if (t.code() == type) {
                return new ConfigResourceKey(t, name);
            }
        }
        return null;
    }
}
