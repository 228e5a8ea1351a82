package io.weir.tools;

import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.ConsumerGroupState;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.MemberDescription;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.admin.TopicDescription;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weir consumer-groups}: Kafka's {@code kafka-consumer-groups.sh}, with its flags. */
@Command(
        name = "consumer-groups",
        mixinStandardHelpOptions = true,
        description = "List, describe, reset and delete consumer groups (kafka-consumer-groups.sh).")
final class ConsumerGroupsCommand implements Callable<Integer> {
    private static final Comparator<TopicPartition> BY_TOPIC_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Io io;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @ArgGroup(multiplicity = "1")
    Action action;

    @Option(names = "--group", paramLabel = "GROUP", description = "The group (repeatable).")
    List<String> groups = new ArrayList<>();

    @Option(names = "--all-groups", description = "Every group, for --describe, --reset-offsets or --delete.")
    boolean allGroups;

    @ArgGroup(exclusive = true)
    DescribeView view;

    @ArgGroup(exclusive = false)
    ResetOptions reset;

    static final class Action {
        @Option(names = "--list", required = true, description = "List the groups.")
        boolean list;

        @Option(names = "--describe", required = true, description = "Offsets and lag (default), members or state.")
        boolean describe;

        @Option(names = "--reset-offsets", required = true, description = "Move an inactive group's offsets.")
        boolean resetOffsets;

        @Option(names = "--delete", required = true, description = "Delete inactive groups and their offsets.")
        boolean delete;
    }

    static final class DescribeView {
        @Option(names = "--offsets", description = "Per partition: committed offset, log end and lag (default).")
        boolean offsets;

        @Option(names = "--members", description = "Per member: id, instance id, client id and assignment.")
        boolean members;

        @Option(names = "--state", description = "The group's state, assignor and generation.")
        boolean state;
    }

    static final class ResetOptions {
        @Option(names = "--topic", paramLabel = "TOPIC[:P,P]", description = "The topic, or some of its partitions.")
        List<String> topics = new ArrayList<>();

        @Option(names = "--all-topics", description = "Every topic the group has offsets for.")
        boolean allTopics;

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Target target;

        @Option(names = "--execute", description = "Commit the new offsets (without it, only show them).")
        boolean execute;

        @Option(names = "--dry-run", description = "Only show the new offsets (the default).")
        boolean dryRun;
    }

    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "The earliest offset of each partition.")
        boolean earliest;

        @Option(names = "--to-latest", required = true, description = "The log end of each partition.")
        boolean latest;

        @Option(names = "--to-current", required = true, description = "The current committed offset.")
        boolean current;

        @Option(names = "--to-offset", required = true, paramLabel = "N", description = "This offset.")
        Long offset;

        @Option(names = "--shift-by", required = true, paramLabel = "N", description = "Current offset plus N.")
        Long shiftBy;

        @Option(
                names = "--to-datetime",
                required = true,
                paramLabel = "YYYY-MM-DDTHH:mm:SS.sss",
                description = "The first record at or after this time (local time, or with an offset/Z).")
        String datetime;

        @Option(
                names = "--by-duration",
                required = true,
                paramLabel = "PnDTnHnMnS",
                description = "The first record at or after now minus this duration.")
        String duration;
    }

    ConsumerGroupsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        try (Connection conn = Connection.open(connection)) {
            if (action.list) {
                return list(conn);
            }
            List<String> targets = targets(conn);
            if (action.describe) {
                return describe(conn, targets);
            }
            if (action.resetOffsets) {
                return resetOffsets(conn, targets);
            }
            conn.await(conn.admin().deleteConsumerGroups(targets).all());
            if (output.json()) {
                Table.printJson(io.out(), Map.of("deleted", targets));
            } else {
                targets.forEach(group -> io.out().println("Deleted consumer group '" + group + "'."));
            }
            return 0;
        }
    }

    private int list(Connection conn) throws Exception {
        List<ConsumerGroupListing> listings =
                new ArrayList<>(conn.await(conn.admin().listConsumerGroups()));
        listings.sort(Comparator.comparing(ConsumerGroupListing::groupId));
        Table table = new Table("GROUP", "STATE");
        listings.forEach(listing -> table.add(listing.groupId(), listing.state()));
        table.print(io.out(), output);
        return 0;
    }

    private List<String> targets(Connection conn) throws Exception {
        if (allGroups) {
            List<String> all = new ArrayList<>();
            conn.await(conn.admin().listConsumerGroups()).forEach(listing -> all.add(listing.groupId()));
            all.sort(null);
            return all;
        }
        if (groups.isEmpty()) {
            throw new CommandFailedException("Name the group with --group, or use --all-groups");
        }
        return groups;
    }

    private int describe(Connection conn, List<String> targets) throws Exception {
        Map<String, ConsumerGroupDescription> descriptions =
                conn.await(conn.admin().describeConsumerGroups(targets).all());
        if (view != null && view.state) {
            Table table = new Table("GROUP", "ASSIGNMENT-STRATEGY", "STATE", "GENERATION", "#MEMBERS");
            for (String group : targets) {
                ConsumerGroupDescription d = requireExists(descriptions.get(group), group, conn);
                table.add(
                        group,
                        d.partitionAssignor(),
                        d.state(),
                        d.generationId(),
                        d.members().size());
            }
            table.print(io.out(), output);
            return 0;
        }
        if (view != null && view.members) {
            Table table =
                    new Table("GROUP", "CONSUMER-ID", "GROUP-INSTANCE-ID", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT");
            for (String group : targets) {
                ConsumerGroupDescription d = requireExists(descriptions.get(group), group, conn);
                for (MemberDescription m : d.members()) {
                    List<TopicPartition> assignment = new ArrayList<>(m.assignment());
                    assignment.sort(BY_TOPIC_PARTITION);
                    table.add(group, m.memberId(), m.groupInstanceId(), m.clientId(), assignment.size(), assignment);
                }
            }
            table.print(io.out(), output);
            return 0;
        }
        Table table = new Table(
                "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "CLIENT-ID");
        for (String group : targets) {
            ConsumerGroupDescription d = requireExists(descriptions.get(group), group, conn);
            Map<TopicPartition, MemberDescription> owners = new HashMap<>();
            d.members().forEach(m -> m.assignment().forEach(tp -> owners.put(tp, m)));
            Map<TopicPartition, GroupOffsetLag> lags = conn.await(conn.admin().describeConsumerGroupLag(group));
            Map<TopicPartition, Long> unCommittedEnds = logEnds(
                    conn,
                    owners.keySet().stream().filter(tp -> !lags.containsKey(tp)).toList());
            Map<TopicPartition, Object> rows = new TreeMap<>(BY_TOPIC_PARTITION);
            rows.putAll(lags);
            owners.keySet().forEach(tp -> rows.putIfAbsent(tp, unCommittedEnds.get(tp)));
            rows.forEach((tp, row) -> {
                MemberDescription owner = owners.get(tp);
                Object current = row instanceof GroupOffsetLag lag ? lag.committedOffset() : null;
                Object end = row instanceof GroupOffsetLag lag ? lag.logEndOffset() : row;
                Object lag = row instanceof GroupOffsetLag l ? l.lag() : null;
                table.add(
                        group,
                        tp.topic(),
                        tp.partition(),
                        current,
                        end,
                        lag,
                        owner == null ? null : owner.memberId(),
                        owner == null ? null : owner.clientId());
            });
            if (rows.isEmpty() && !output.json()) {
                io.err().println("Consumer group '" + group + "' has no active members and no committed offsets.");
            }
        }
        table.print(io.out(), output);
        return 0;
    }

    private static ConsumerGroupDescription requireExists(
            ConsumerGroupDescription description, String group, Connection conn) throws Exception {
        if (description == null || description.state() == ConsumerGroupState.DEAD) {
            if (description == null
                    || conn.await(conn.admin().listConsumerGroupOffsets(group)).isEmpty()) {
                throw new CommandFailedException("Consumer group '" + group + "' does not exist.");
            }
        }
        return description;
    }

    private int resetOffsets(Connection conn, List<String> targets) throws Exception {
        if (reset == null || reset.target == null) {
            throw new CommandFailedException("--reset-offsets needs a target: --to-earliest, --to-latest, "
                    + "--to-current, --to-offset, --shift-by, --to-datetime or --by-duration");
        }
        if (reset.topics.isEmpty() == !reset.allTopics) {
            throw new CommandFailedException("--reset-offsets needs one of --topic or --all-topics");
        }
        if (reset.execute && reset.dryRun) {
            throw new CommandFailedException("--execute and --dry-run contradict each other");
        }
        Table table = new Table("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
        for (String group : targets) {
            ConsumerGroupDescription d = conn.await(
                            conn.admin().describeConsumerGroups(List.of(group)).all())
                    .get(group);
            if (d != null && !d.members().isEmpty()) {
                throw new CommandFailedException("Assignments can only be reset if the group '" + group
                        + "' is inactive, but the current state is " + d.state() + " with "
                        + d.members().size()
                        + " member(s): stop its consumers first.");
            }
            Map<TopicPartition, OffsetAndMetadata> committed =
                    conn.await(conn.admin().listConsumerGroupOffsets(group));
            List<TopicPartition> partitions = partitions(conn, committed);
            Map<TopicPartition, OffsetAndMetadata> planned = plan(conn, partitions, committed);
            planned.forEach((tp, offset) -> table.add(group, tp.topic(), tp.partition(), offset.offset()));
            if (reset.execute && !planned.isEmpty()) {
                try (Progress progress = new Progress(io, "Resetting " + group, planned.size())) {
                    conn.await(conn.admin()
                            .alterConsumerGroupOffsets(group, planned)
                            .all());
                    progress.update(planned.size());
                }
            }
        }
        table.print(io.out(), output);
        if (!reset.execute && !output.json()) {
            io.err().println("(dry run: nothing changed; add --execute to commit these offsets)");
        }
        return 0;
    }

    private List<TopicPartition> partitions(Connection conn, Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        if (reset.allTopics) {
            partitions.addAll(committed.keySet());
        } else {
            for (String spec : reset.topics) {
                int colon = spec.indexOf(':');
                String topic = colon < 0 ? spec : spec.substring(0, colon);
                if (colon < 0) {
                    Topics.requireExists(conn, topic);
                    TopicDescription description = conn.await(
                                    conn.admin().describeTopics(List.of(topic)).all())
                            .get(topic);
                    for (PartitionInfo info : description.partitions()) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                } else {
                    for (String p : spec.substring(colon + 1).split(",")) {
                        try {
                            partitions.add(new TopicPartition(topic, Integer.parseInt(p.trim())));
                        } catch (NumberFormatException e) {
                            throw new CommandFailedException("--topic " + spec + ": '" + p + "' is not a partition");
                        }
                    }
                }
            }
        }
        partitions.sort(BY_TOPIC_PARTITION);
        return partitions;
    }

    /** The offset each partition moves to, clamped to the partition's earliest and latest offsets as Kafka does. */
    private Map<TopicPartition, OffsetAndMetadata> plan(
            Connection conn, List<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        Map<TopicPartition, Long> starts = offsets(conn, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(conn, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> byTime = null;
        Target t = reset.target;
        if (t.datetime != null || t.duration != null) {
            long timestamp = t.datetime != null
                    ? parseDatetime(t.datetime)
                    : Instant.now().minus(parseDuration(t.duration)).toEpochMilli();
            byTime = offsets(conn, partitions, OffsetSpec.forTimestamp(timestamp));
        }
        Map<TopicPartition, OffsetAndMetadata> planned = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long start = starts.get(tp);
            long end = ends.get(tp);
            OffsetAndMetadata current = committed.get(tp);
            long target;
            if (t.earliest) {
                target = start;
            } else if (t.latest) {
                target = end;
            } else if (t.current) {
                target = current == null ? end : current.offset();
            } else if (t.offset != null) {
                target = t.offset;
            } else if (t.shiftBy != null) {
                target = (current == null ? end : current.offset()) + t.shiftBy;
            } else {
                long found = byTime.get(tp);
                target = found < 0 ? end : found;
            }
            planned.put(tp, new OffsetAndMetadata(Math.max(start, Math.min(end, target))));
        }
        return planned;
    }

    private static Map<TopicPartition, Long> offsets(Connection conn, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> found =
                conn.await(conn.admin().listOffsets(specs).all());
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    private static Map<TopicPartition, Long> logEnds(Connection conn, List<TopicPartition> partitions)
            throws Exception {
        return partitions.isEmpty() ? Map.of() : offsets(conn, partitions, OffsetSpec.latest());
    }

    private static long parseDatetime(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text)
                        .atZone(ZoneId.systemDefault())
                        .toInstant()
                        .toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new CommandFailedException(
                        "--to-datetime " + text + " is not a date and time like 2026-12-07T10:15:30.000");
            }
        }
    }

    private static Duration parseDuration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandFailedException("--by-duration " + text + " is not a duration like PT1H or P1DT2H");
        }
    }
}
