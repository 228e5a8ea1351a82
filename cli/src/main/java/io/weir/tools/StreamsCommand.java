package io.weir.tools;

import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.MemberDescription;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.TopicDescription;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.errors.GroupIdNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir streams}: streams applications as the broker sees them. An application is the consumer group named
 * by its {@code application.id} whose members use a streams assignor (Weir's {@code weir-streams}, or Kafka
 * Streams' {@code stream}); its stores are the {@code <application.id>-<store>-changelog} topics, its repartition
 * topics {@code <application.id>-<name>-repartition}. Everything here is read through the admin client, so it
 * works for a running application and for one that is stopped.
 */
@Command(
        name = "streams",
        mixinStandardHelpOptions = true,
        description = "List streams applications; describe one's threads, tasks' partitions, stores and lag.",
        subcommands = {StreamsCommand.ListApplications.class, StreamsCommand.Describe.class})
final class StreamsCommand implements Runnable {
    /** The assignor names of streams applications: Weir's and Kafka Streams'. */
    static final Set<String> STREAMS_ASSIGNORS = Set.of("weir-streams", "stream");

    private static final String CHANGELOG_SUFFIX = "-changelog";
    private static final String REPARTITION_SUFFIX = "-repartition";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: list, describe");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The streams applications and states.")
    static final class ListApplications implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        ListApplications(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                List<String> groups = new ArrayList<>();
                for (ConsumerGroupListing listing : conn.await(conn.admin().listConsumerGroups())) {
                    groups.add(listing.groupId());
                }
                groups.sort(null);
                Map<String, ConsumerGroupDescription> described = groups.isEmpty()
                        ? Map.of()
                        : conn.await(conn.admin().describeConsumerGroups(groups).all());
                Set<String> topics = conn.await(conn.admin().listTopics());
                Table table = new Table("APPLICATION-ID", "STATE", "#THREADS", "#STORES");
                for (String group : groups) {
                    ConsumerGroupDescription d = described.get(group);
                    boolean streamsMembers = STREAMS_ASSIGNORS.contains(d.partitionAssignor());
                    List<String> stores = internalTopics(topics, group, CHANGELOG_SUFFIX);
                    // An application with no member running is recognised by its changelogs or repartition topics.
                    if (streamsMembers
                            || !stores.isEmpty()
                            || !internalTopics(topics, group, REPARTITION_SUFFIX)
                                    .isEmpty()) {
                        table.add(group, d.state(), d.members().size(), stores.size());
                    }
                }
                table.print(io.out(), output);
                return 0;
            }
        }
    }

    @Command(
            name = "describe",
            mixinStandardHelpOptions = true,
            description = "One application's threads and their partitions, its stores and its input lag.")
    static final class Describe implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        @Option(names = "--application-id", required = true, paramLabel = "ID", description = "The application.id.")
        String applicationId;

        Describe(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                Set<String> topics = conn.await(conn.admin().listTopics());
                List<String> changelogs = internalTopics(topics, applicationId, CHANGELOG_SUFFIX);
                List<String> repartitions = internalTopics(topics, applicationId, REPARTITION_SUFFIX);
                ConsumerGroupDescription group;
                Map<TopicPartition, GroupOffsetLag> lags;
                try {
                    group = conn.await(conn.admin()
                                    .describeConsumerGroups(List.of(applicationId))
                                    .all())
                            .get(applicationId);
                    lags = conn.await(conn.admin().describeConsumerGroupLag(applicationId));
                } catch (ExecutionException e) {
                    if (!(WeirCommand.cause(e) instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                    group = null;
                    lags = Map.of();
                }
                if (group == null && changelogs.isEmpty() && repartitions.isEmpty()) {
                    throw new CommandFailedException("No streams application '" + applicationId
                            + "': no group, offsets or internal topics of that id (weir streams list shows them)");
                }

                Table threads = new Table("THREAD", "GROUP-INSTANCE-ID", "#PARTITIONS", "PARTITIONS");
                List<MemberDescription> members = group == null ? List.of() : group.members();
                String state = group == null ? "Dead" : group.state().toString();
                for (MemberDescription m : members) {
                    List<TopicPartition> assignment = new ArrayList<>(m.assignment());
                    assignment.sort(
                            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                    threads.add(m.clientId(), m.groupInstanceId(), assignment.size(), assignment);
                }
                Table stores = new Table("STORE", "CHANGELOG", "PARTITIONS", "RECORDS-IN-CHANGELOG");
                for (String changelog : changelogs) {
                    stores.add(
                            storeName(applicationId, changelog),
                            changelog,
                            partitionCount(conn, changelog),
                            records(conn, changelog));
                }
                Table lag = new Table("TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG");
                lags.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                                .thenComparingInt(TopicPartition::partition)))
                        .forEach(e -> lag.add(
                                e.getKey().topic(),
                                e.getKey().partition(),
                                e.getValue().committedOffset(),
                                e.getValue().logEndOffset(),
                                e.getValue().lag()));

                if (output.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("applicationId", applicationId);
                    json.put("state", state);
                    json.put("threads", threads.jsonRows());
                    json.put("stores", stores.jsonRows());
                    json.put("repartitionTopics", repartitions);
                    json.put("lag", lag.jsonRows());
                    Table.printJson(io.out(), json);
                    return 0;
                }
                io.out()
                        .println(
                                "Application: " + applicationId + "\tState: " + state + "\tThreads: " + members.size());
                io.out().println();
                threads.print(io.out(), output);
                io.out().println();
                stores.print(io.out(), output);
                if (!repartitions.isEmpty()) {
                    io.out().println();
                    io.out().println("Repartition topics: " + String.join(", ", repartitions));
                }
                io.out().println();
                lag.print(io.out(), output);
                return 0;
            }
        }

        private static int partitionCount(Connection conn, String topic) throws Exception {
            TopicDescription d = conn.await(
                            conn.admin().describeTopics(List.of(topic)).all())
                    .get(topic);
            return d.partitionCount();
        }

        /** Records between each partition's start and end, summed: what a full restore would replay at most. */
        private static long records(Connection conn, String topic) throws Exception {
            TopicDescription d = conn.await(
                            conn.admin().describeTopics(List.of(topic)).all())
                    .get(topic);
            Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (PartitionInfo p : d.partitions()) {
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResultInfo> starts =
                    conn.await(conn.admin().listOffsets(earliest).all());
            Map<TopicPartition, ListOffsetsResultInfo> ends =
                    conn.await(conn.admin().listOffsets(latest).all());
            long total = 0;
            for (TopicPartition tp : starts.keySet()) {
                total += ends.get(tp).offset() - starts.get(tp).offset();
            }
            return total;
        }
    }

    static List<String> internalTopics(Set<String> topics, String applicationId, String suffix) {
        Set<String> found = new TreeSet<>();
        for (String topic : topics) {
            if (topic.startsWith(applicationId + "-") && topic.endsWith(suffix)) {
                found.add(topic);
            }
        }
        return new ArrayList<>(found);
    }

    static String storeName(String applicationId, String changelog) {
        return changelog.substring(applicationId.length() + 1, changelog.length() - CHANGELOG_SUFFIX.length());
    }
}
