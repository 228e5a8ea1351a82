package io.weir.clients.admin.internals;

import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.AlterConfigsOptions;
import io.weir.clients.admin.Config;
import io.weir.clients.admin.ConfigEntry;
import io.weir.clients.admin.KeyedResult;
import io.weir.common.config.ConfigResource;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.ConfigResourceKey;
import io.weir.common.protocol.DescribeConfigsRequest;
import io.weir.common.protocol.DescribeConfigsResponse;
import io.weir.common.protocol.IncrementalAlterConfigsRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The configuration calls of {@link AdminClientImpl}: describeConfigs and incrementalAlterConfigs, each one
 * broker request fanned out into one future per resource. Translates between the client's Kafka-shaped values
 * ({@link ConfigResource}, {@link ConfigEntry}, {@link AlterConfigOp}) and the protocol's. Stateless beyond its
 * collaborators, so thread-safe; futures complete on the transport's threads.
 */
final class ConfigCalls {
    private final AdminClientImpl admin;
    private final BrokerApi broker;

    ConfigCalls(AdminClientImpl admin, BrokerApi broker) {
        this.admin = admin;
        this.broker = broker;
    }

    KeyedResult<ConfigResource, Config> describe(Collection<ConfigResource> resources) {
        Set<ConfigResource> wanted = new LinkedHashSet<>(resources);
        List<ConfigResourceKey> keys = wanted.stream().map(ConfigCalls::toKey).toList();
        var response = admin.withTimeout(broker.describeConfigs(new DescribeConfigsRequest(keys)), "describeConfigs");
        Map<ConfigResource, CompletableFuture<Config>> values = new LinkedHashMap<>();
        for (ConfigResource resource : wanted) {
            values.put(resource, response.thenApply(r -> described(resource, r)));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    private static Config described(ConfigResource resource, DescribeConfigsResponse r) {
        DescribeConfigsResponse.ResourceConfigs configs = r.results().get(toKey(resource));
        if (configs == null) {
            throw new UnknownServerException("The broker's describeConfigs answer left out " + resource);
        }
        if (!configs.error().isSuccess()) {
            throw configs.error().exception();
        }
        List<ConfigEntry> entries = new ArrayList<>();
        for (DescribeConfigsResponse.ConfigValue v : configs.configs()) {
            entries.add(new ConfigEntry(v.name(), v.value(), toSource(v.source()), v.sensitive(), v.readOnly()));
        }
        return new Config(entries);
    }

    KeyedResult<ConfigResource, Void> incrementalAlter(
            Map<ConfigResource, Collection<AlterConfigOp>> configs, AlterConfigsOptions options) {
        Map<ConfigResourceKey, List<IncrementalAlterConfigsRequest.AlterableConfig>> resources = new LinkedHashMap<>();
        configs.forEach((resource, ops) -> {
            List<IncrementalAlterConfigsRequest.AlterableConfig> alterable = new ArrayList<>();
            for (AlterConfigOp op : ops) {
                alterable.add(new IncrementalAlterConfigsRequest.AlterableConfig(
                        op.configEntry().name(),
                        toOpType(op.opType()),
                        op.configEntry().value()));
            }
            resources.put(toKey(resource), alterable);
        });
        var request = new IncrementalAlterConfigsRequest(resources, options.shouldValidateOnly());
        var response = admin.withTimeout(broker.incrementalAlterConfigs(request), "incrementalAlterConfigs");
        Map<ConfigResource, CompletableFuture<Void>> values = new LinkedHashMap<>();
        for (ConfigResource resource : configs.keySet()) {
            values.put(resource, response.thenApply(r -> {
                ApiError error = r.results().get(toKey(resource));
                if (error == null) {
                    throw new UnknownServerException(
                            "The broker's incrementalAlterConfigs answer left out " + resource);
                }
                if (!error.isSuccess()) {
                    throw error.exception();
                }
                return null;
            }));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    private static ConfigResourceKey toKey(ConfigResource resource) {
        ConfigResourceKey.Type type =
                switch (resource.type()) {
                    case TOPIC -> ConfigResourceKey.Type.TOPIC;
                    case BROKER -> ConfigResourceKey.Type.BROKER;
                };
        return new ConfigResourceKey(type, resource.name());
    }

    private static IncrementalAlterConfigsRequest.OpType toOpType(AlterConfigOp.OpType type) {
        return switch (type) {
            case SET -> IncrementalAlterConfigsRequest.OpType.SET;
            case DELETE -> IncrementalAlterConfigsRequest.OpType.DELETE;
            case APPEND -> IncrementalAlterConfigsRequest.OpType.APPEND;
            case SUBTRACT -> IncrementalAlterConfigsRequest.OpType.SUBTRACT;
        };
    }

    private static ConfigEntry.ConfigSource toSource(DescribeConfigsResponse.Source source) {
        return switch (source) {
            case TOPIC_CONFIG -> ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
            case STATIC_BROKER_CONFIG -> ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG;
            case DEFAULT_CONFIG -> ConfigEntry.ConfigSource.DEFAULT_CONFIG;
            case UNKNOWN -> ConfigEntry.ConfigSource.UNKNOWN;
        };
    }
}
