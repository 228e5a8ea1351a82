package io.weir.tools;

import io.weir.common.errors.WeirException;
import java.lang.reflect.Constructor;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code weir} command: Kafka's everyday tools ({@code kafka-topics.sh}, the console producer and consumer,
 * {@code kafka-consumer-groups.sh}, {@code kafka-transactions.sh}, {@code kafka-dump-log.sh}) as verbs of one
 * command, with Kafka's flag names. Each verb reaches a broker with {@code --bootstrap-server}, or opens a data
 * directory itself with {@code --data-dir} when no broker runs on it.
 *
 * <p>Exit codes: 0 on success, 1 when the operation failed (the reason on standard error), 2 when the command
 * line was wrong (with the usage).
 */
@Command(
        name = "weir",
        mixinStandardHelpOptions = true,
        versionProvider = WeirCommand.Version.class,
        description = "Weir's command line: topics, console producer and consumer, groups, transactions, logs.",
        subcommands = {
            BrokerCommand.class,
            TopicsCommand.class,
            ConsoleProducerCommand.class,
            ConsoleConsumerCommand.class,
            ConsumerGroupsCommand.class,
            TransactionsCommand.class,
            StreamsCommand.class,
            DumpLogCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class WeirCommand implements Runnable {
    static final int FAILED = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a verb");
    }

    public static void main(String[] args) {
        System.exit(execute(Io.system(), args));
    }

    /** Runs one command line with the given streams and returns its exit code; what {@link #main} does. */
    static int execute(Io io, String... args) {
        CommandLine line = new CommandLine(new WeirCommand(), new Factory(io));
        line.setOut(io.out());
        line.setErr(io.err());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + describe(e));
            failed.getErr().flush();
            return FAILED;
        });
        int code = line.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    /** The reason a command failed, without the wrapping of futures and the class names of expected errors. */
    static String describe(Throwable e) {
        Throwable cause = cause(e);
        if (cause instanceof CommandFailedException || cause instanceof WeirException) {
            return cause.getMessage();
        }
        return cause.toString();
    }

    /** The failure inside the wrapping of futures ({@link ExecutionException}, {@link CompletionException}). */
    static Throwable cause(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Builds each command with the {@link Io} of this run when it takes one. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> withIo = type.getDeclaredConstructor(Io.class);
                withIo.setAccessible(true);
                return withIo.newInstance(io);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = WeirCommand.class.getPackage().getImplementationVersion();
            return new String[] {"weir " + (version == null ? "(development build)" : version)};
        }
    }
}
