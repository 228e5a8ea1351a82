package io.weir.tools;

import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.FindHangingTransactionsOptions;
import io.weir.clients.admin.HangingTransaction;
import io.weir.clients.admin.PartitionProducerState;
import io.weir.clients.admin.ProducerState;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code weir transactions}: Kafka's {@code kafka-transactions.sh}, with its subcommands and flags. */
@Command(
        name = "transactions",
        mixinStandardHelpOptions = true,
        description = "List, describe and abort transactions; find hanging ones (kafka-transactions.sh).",
        subcommands = {
            TransactionsCommand.ListTransactions.class,
            TransactionsCommand.Describe.class,
            TransactionsCommand.DescribeProducers.class,
            TransactionsCommand.Abort.class,
            TransactionsCommand.FindHanging.class
        })
final class TransactionsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                spec.commandLine(), "Missing a subcommand: list, describe, describe-producers, abort, find-hanging");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The transactional ids the broker knows.")
    static final class ListTransactions implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        ListTransactions(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                List<TransactionListing> listings =
                        new ArrayList<>(conn.await(conn.admin().listTransactions()));
                listings.sort(Comparator.comparing(TransactionListing::transactionalId));
                Table table = new Table("TRANSACTIONAL-ID", "PRODUCER-ID", "TRANSACTION-STATE");
                listings.forEach(l -> table.add(l.transactionalId(), l.producerId(), l.state()));
                table.print(io.out(), output);
                return 0;
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "One transactional id's state.")
    static final class Describe implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        @Option(names = "--transactional-id", required = true, paramLabel = "ID", description = "The id.")
        String transactionalId;

        Describe(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                TransactionDescription d = conn.await(conn.admin()
                                .describeTransactions(List.of(transactionalId))
                                .all())
                        .get(transactionalId);
                long now = System.currentTimeMillis();
                List<TopicPartition> partitions = new ArrayList<>(d.topicPartitions());
                partitions.sort(
                        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
                new Table(
                                "COORDINATOR-ID",
                                "TRANSACTIONAL-ID",
                                "PRODUCER-ID",
                                "PRODUCER-EPOCH",
                                "TRANSACTION-STATE",
                                "TRANSACTION-TIMEOUT-MS",
                                "CURRENT-TRANSACTION-START-TIME-MS",
                                "TRANSACTION-DURATION-MS",
                                "TOPIC-PARTITIONS")
                        .add(
                                d.coordinatorId(),
                                transactionalId,
                                d.producerId(),
                                d.producerEpoch(),
                                d.state(),
                                d.transactionTimeoutMs(),
                                d.transactionStartTimeMs(),
                                d.transactionStartTimeMs().isPresent()
                                        ? now - d.transactionStartTimeMs().getAsLong()
                                        : null,
                                partitions)
                        .print(io.out(), output);
                return 0;
            }
        }
    }

    @Command(
            name = "describe-producers",
            mixinStandardHelpOptions = true,
            description = "The producers with state on one partition.")
    static final class DescribeProducers implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "N", description = "The partition.")
        int partition;

        DescribeProducers(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                TopicPartition tp = new TopicPartition(topic, partition);
                PartitionProducerState state = conn.await(
                                conn.admin().describeProducers(List.of(tp)).all())
                        .get(tp);
                Table table = new Table(
                        "PRODUCER-ID",
                        "PRODUCER-EPOCH",
                        "LATEST-COORDINATOR-EPOCH",
                        "LAST-SEQUENCE",
                        "LAST-TIMESTAMP",
                        "CURRENT-TRANSACTION-START-OFFSET");
                for (ProducerState p : state.activeProducers()) {
                    table.add(
                            p.producerId(),
                            p.producerEpoch(),
                            p.coordinatorEpoch(),
                            p.lastSequence(),
                            p.lastTimestamp(),
                            p.currentTransactionStartOffset());
                }
                table.print(io.out(), output);
                return 0;
            }
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description = "Abort an open transaction on a partition: the one starting at --start-offset, or the "
                    + "producer named by --producer-id, --producer-epoch and --coordinator-epoch.")
    static final class Abort implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @Option(names = "--partition", required = true, paramLabel = "N", description = "The partition.")
        int partition;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Option(
                    names = "--start-offset",
                    required = true,
                    paramLabel = "OFFSET",
                    description = "The first offset of the transaction to abort.")
            Long startOffset;

            @ArgGroup(exclusive = false)
            Producer producer;
        }

        static final class Producer {
            @Option(names = "--producer-id", required = true, paramLabel = "ID", description = "The producer id.")
            long producerId;

            @Option(names = "--producer-epoch", required = true, paramLabel = "N", description = "Its epoch.")
            short producerEpoch;

            @Option(
                    names = "--coordinator-epoch",
                    required = true,
                    paramLabel = "N",
                    description = "The coordinator epoch of its last marker.")
            int coordinatorEpoch;
        }

        Abort(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            try (Connection conn = Connection.open(connection)) {
                TopicPartition tp = new TopicPartition(topic, partition);
                AbortTransactionSpec spec;
                if (which.startOffset != null) {
                    spec = findByStartOffset(conn, tp, which.startOffset);
                } else {
                    spec = new AbortTransactionSpec(
                            tp,
                            which.producer.producerId,
                            which.producer.producerEpoch,
                            which.producer.coordinatorEpoch);
                }
                conn.await(conn.admin().abortTransaction(spec));
                io.out()
                        .println("Aborted the transaction of producer " + spec.producerId() + " (epoch "
                                + spec.producerEpoch() + ") on " + tp + ".");
                return 0;
            }
        }

        /**
         * The producer whose open transaction starts at {@code startOffset}. A producer that never wrote a marker
         * on the partition has no coordinator epoch yet; 0 is what Kafka's tool sends then, and passes the
         * partition's fencing check, which only refuses epochs below the last marker's.
         */
        private static AbortTransactionSpec findByStartOffset(Connection conn, TopicPartition tp, long startOffset)
                throws Exception {
            PartitionProducerState state = conn.await(
                            conn.admin().describeProducers(List.of(tp)).all())
                    .get(tp);
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent()
                        && p.currentTransactionStartOffset().getAsLong() == startOffset) {
                    return new AbortTransactionSpec(
                            tp,
                            p.producerId(),
                            (short) p.producerEpoch(),
                            Math.max(0, p.coordinatorEpoch().orElse(0)));
                }
            }
            throw new CommandFailedException("No open transaction starts at offset " + startOffset + " of " + tp
                    + " (weir transactions describe-producers lists the open ones)");
        }
    }

    @Command(
            name = "find-hanging",
            mixinStandardHelpOptions = true,
            description = "Open transactions older than the longest transaction timeout allowed.")
    static final class FindHanging implements Callable<Integer> {
        private final Io io;

        @Mixin
        ConnectionOptions connection;

        @Mixin
        OutputOptions output;

        @Option(names = "--topic", paramLabel = "TOPIC", description = "Only this topic.")
        String topic;

        @Option(names = "--partition", paramLabel = "N", description = "Only this partition of --topic.")
        Integer partition;

        @Option(
                names = "--max-transaction-timeout",
                paramLabel = "MINUTES",
                defaultValue = "15",
                description = "The broker's transaction.max.timeout.ms, in minutes (default: ${DEFAULT-VALUE}).")
        long maxTransactionTimeoutMinutes;

        FindHanging(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            if (partition != null && topic == null) {
                throw new CommandFailedException("--partition needs --topic");
            }
            FindHangingTransactionsOptions options = FindHangingTransactionsOptions.allPartitions()
                    .maxTransactionTimeoutMs(maxTransactionTimeoutMinutes * 60_000L);
            if (topic != null && partition != null) {
                options = options.partitions(List.of(new TopicPartition(topic, partition)));
            } else if (topic != null) {
                options = options.topics(List.of(topic));
            }
            try (Connection conn = Connection.open(connection)) {
                List<HangingTransaction> hanging =
                        new ArrayList<>(conn.await(conn.admin().findHangingTransactions(options)));
                long now = System.currentTimeMillis();
                Table table = new Table(
                        "TOPIC",
                        "PARTITION",
                        "PRODUCER-ID",
                        "PRODUCER-EPOCH",
                        "COORDINATOR-EPOCH",
                        "START-OFFSET",
                        "LAST-TIMESTAMP",
                        "DURATION-MIN",
                        "TRANSACTIONAL-ID",
                        "REASON");
                for (HangingTransaction h : hanging) {
                    ProducerState p = h.producer();
                    table.add(
                            h.topicPartition().topic(),
                            h.topicPartition().partition(),
                            p.producerId(),
                            p.producerEpoch(),
                            p.coordinatorEpoch(),
                            p.currentTransactionStartOffset(),
                            p.lastTimestamp(),
                            (now - p.lastTimestamp()) / 60_000L,
                            h.transactionalId(),
                            h.reason());
                }
                table.print(io.out(), output);
                if (!output.json()) {
                    io.err()
                            .println(
                                    hanging.isEmpty()
                                            ? "No hanging transactions found."
                                            : hanging.size()
                                                    + " hanging transaction(s): abort each with weir transactions abort.");
                }
                return 0;
            }
        }
    }
}
