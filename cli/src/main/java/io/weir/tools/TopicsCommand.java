package io.weir.tools;

import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.Config;
import io.weir.clients.admin.ConfigEntry;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.TopicDescription;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.errors.TopicExistsException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weir topics}: Kafka's {@code kafka-topics.sh}, with its flags. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create, list, describe, alter and delete topics (kafka-topics.sh).")
final class TopicsCommand implements Callable<Integer> {
    private final Io io;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @ArgGroup(multiplicity = "1")
    Action action;

    @Option(
            names = "--topic",
            paramLabel = "TOPIC",
            description = "The topic; for --list, --describe, --alter and --delete also a regular expression.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of a new topic, or the new total.")
    Integer partitions;

    @Option(
            names = "--replication-factor",
            paramLabel = "N",
            description = "Accepted for compatibility; a Weir broker keeps one copy, so only 1 is allowed.")
    Integer replicationFactor;

    @Option(
            names = "--config",
            paramLabel = "KEY=VALUE",
            description = "A topic setting for --create or --alter (repeatable), e.g. cleanup.policy=compact.")
    Map<String, String> configs = new LinkedHashMap<>();

    @Option(names = "--delete-config", paramLabel = "KEY", description = "A setting --alter returns to its default.")
    List<String> deleteConfigs = new ArrayList<>();

    @Option(names = "--if-not-exists", description = "With --create: succeed when the topic already exists.")
    boolean ifNotExists;

    @Option(names = "--if-exists", description = "With --alter, --describe or --delete: succeed when none matches.")
    boolean ifExists;

    static final class Action {
        @Option(names = "--create", required = true, description = "Create a topic.")
        boolean create;

        @Option(names = "--list", required = true, description = "List topic names.")
        boolean list;

        @Option(names = "--describe", required = true, description = "Partitions, offsets and settings of topics.")
        boolean describe;

        @Option(names = "--alter", required = true, description = "Add partitions or change settings.")
        boolean alter;

        @Option(names = "--delete", required = true, description = "Delete topics.")
        boolean delete;
    }

    TopicsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (replicationFactor != null && replicationFactor != 1) {
            throw new CommandFailedException("--replication-factor " + replicationFactor
                    + " is not possible: a Weir broker keeps one copy of each partition (use 1 or leave it out)");
        }
        try (Connection conn = Connection.open(connection)) {
            if (action.create) {
                return create(conn);
            }
            if (action.list) {
                return list(conn);
            }
            if (action.describe) {
                return describe(conn);
            }
            if (action.alter) {
                return alter(conn);
            }
            return delete(conn);
        }
    }

    private int create(Connection conn) throws Exception {
        String name = required("--create");
        NewTopic topic = new NewTopic(name, partitions == null ? 1 : partitions).configs(configs);
        try {
            conn.await(conn.admin().createTopics(List.of(topic)).all());
        } catch (ExecutionException e) {
            if (WeirCommand.cause(e) instanceof TopicExistsException && ifNotExists) {
                return 0;
            }
            throw e;
        }
        if (!output.json()) {
            io.out().println("Created topic " + name + ".");
        } else {
            Table.printJson(io.out(), Map.of("created", name));
        }
        return 0;
    }

    private int list(Connection conn) throws Exception {
        Set<String> names = matching(conn);
        if (output.json()) {
            Table.printJson(io.out(), names);
        } else {
            names.forEach(io.out()::println);
        }
        return 0;
    }

    private int describe(Connection conn) throws Exception {
        Set<String> names = matchingOrFail(conn);
        Map<String, TopicDescription> descriptions =
                conn.await(conn.admin().describeTopics(names).all());
        Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (TopicDescription description : descriptions.values()) {
            for (PartitionInfo partition : description.partitions()) {
                TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            }
        }
        Map<TopicPartition, ListOffsetsResultInfo> starts =
                conn.await(conn.admin().listOffsets(earliest).all());
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                conn.await(conn.admin().listOffsets(latest).all());
        Map<String, Map<String, String>> overrides = overrides(conn, names);

        List<Map<String, Object>> json = new ArrayList<>();
        for (String name : names) {
            TopicDescription description = descriptions.get(name);
            Table table = new Table("PARTITION", "LEADER", "LOG-START-OFFSET", "LOG-END-OFFSET");
            for (PartitionInfo partition : description.partitions()) {
                TopicPartition tp = new TopicPartition(name, partition.partition());
                table.add(
                        partition.partition(),
                        partition.leader(),
                        starts.get(tp).offset(),
                        ends.get(tp).offset());
            }
            Map<String, String> topicConfigs = overrides.get(name);
            if (output.json()) {
                Map<String, Object> topic = new LinkedHashMap<>();
                topic.put("topic", name);
                topic.put("partitionCount", description.partitionCount());
                topic.put("replicationFactor", 1);
                topic.put("configs", topicConfigs);
                topic.put("partitions", table.jsonRows());
                json.add(topic);
            } else {
                io.out()
                        .println("Topic: " + name + "\tPartitionCount: " + description.partitionCount()
                                + "\tReplicationFactor: 1\tConfigs: " + join(topicConfigs));
                table.print(io.out(), output);
            }
        }
        if (output.json()) {
            Table.printJson(io.out(), json);
        }
        return 0;
    }

    private int alter(Connection conn) throws Exception {
        Set<String> names = matchingOrFail(conn);
        if (partitions == null && configs.isEmpty() && deleteConfigs.isEmpty()) {
            throw new CommandFailedException("--alter needs --partitions, --config or --delete-config");
        }
        if (partitions != null) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            names.forEach(name -> counts.put(name, partitions));
            conn.await(conn.admin().createPartitions(counts).all());
        }
        if (!configs.isEmpty() || !deleteConfigs.isEmpty()) {
            List<AlterConfigOp> ops = new ArrayList<>();
            configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            deleteConfigs.forEach(
                    k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
            Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
            names.forEach(name -> changes.put(new ConfigResource(ConfigResource.Type.TOPIC, name), ops));
            conn.await(conn.admin().incrementalAlterConfigs(changes).all());
        }
        report("Altered", names);
        return 0;
    }

    private int delete(Connection conn) throws Exception {
        Set<String> names = matchingOrFail(conn);
        if (!names.isEmpty()) {
            conn.await(conn.admin().deleteTopics(names).all());
        }
        report("Deleted", names);
        return 0;
    }

    private void report(String verb, Set<String> names) {
        if (output.json()) {
            Table.printJson(io.out(), Map.of(verb.toLowerCase(java.util.Locale.ROOT), names));
        } else {
            names.forEach(name -> io.out().println(verb + " topic " + name + "."));
        }
    }

    /** Topic overrides (what Kafka's describe prints as Configs), per topic. */
    private Map<String, Map<String, String>> overrides(Connection conn, Set<String> names) throws Exception {
        List<ConfigResource> resources = new ArrayList<>();
        names.forEach(name -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, name)));
        Map<ConfigResource, Config> described =
                conn.await(conn.admin().describeConfigs(resources).all());
        Map<String, Map<String, String>> overrides = new LinkedHashMap<>();
        described.forEach((resource, config) -> {
            Map<String, String> topicOverrides = new TreeMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    topicOverrides.put(entry.name(), entry.isSensitive() ? "(sensitive)" : entry.value());
                }
            }
            overrides.put(resource.name(), topicOverrides);
        });
        return overrides;
    }

    private Set<String> matchingOrFail(Connection conn) throws Exception {
        String what = action.describe ? "--describe" : action.alter ? "--alter" : "--delete";
        if (topic == null && !action.describe) {
            required(what);
        }
        Set<String> names = matching(conn);
        if (names.isEmpty() && topic != null && !ifExists) {
            throw new UnknownTopicOrPartitionException("Topic '" + topic + "' does not exist (weir topics --list "
                    + "shows the topics; --if-exists makes this a success)");
        }
        return names;
    }

    /** Topic names matched by {@code --topic} (exactly, or as a regular expression), sorted. */
    private Set<String> matching(Connection conn) throws Exception {
        Set<String> all = new TreeSet<>(conn.await(conn.admin().listTopics()));
        if (topic != null && topic.startsWith("__") && !action.list) {
            // Internal topics are left out of the listing, as Kafka's Admin leaves them out, but named exactly
            // they can be described, altered or deleted (a broker refuses what it must).
            all.add(topic);
        }
        if (topic == null) {
            return all;
        }
        if (all.contains(topic)) {
            return new TreeSet<>(Set.of(topic));
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(topic);
        } catch (PatternSyntaxException e) {
            return new TreeSet<>();
        }
        Set<String> matched = new TreeSet<>();
        all.stream().filter(name -> pattern.matcher(name).matches()).forEach(matched::add);
        return matched;
    }

    private String required(String action) {
        if (topic == null) {
            throw new CommandFailedException(action + " needs --topic");
        }
        return topic;
    }

    private static String join(Map<String, String> configs) {
        StringBuilder text = new StringBuilder();
        configs.forEach((k, v) ->
                text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return text.toString();
    }
}
