package io.weir.tools;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.WeirBrokerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weir broker}: the standalone broker. */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = "Run a standalone broker.",
        subcommands = {BrokerCommand.Start.class})
final class BrokerCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand: start");
    }

    /**
     * {@code weir broker start}: a broker in the foreground on a data directory, serving the Kafka protocol on its
     * listener, until SIGTERM or Ctrl-C, when it closes cleanly (the next start finds the clean-shutdown marker
     * and skips recovery). The same entry point as {@link WeirBrokerMain}; Kafka's broker keys come from
     * {@code --config} and {@code --override}.
     */
    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start a broker in the foreground; SIGTERM or Ctrl-C stops it cleanly.")
    static final class Start implements Callable<Integer> {
        private final Io io;

        @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The data directory.")
        Path dataDir;

        @Option(
                names = "--listener",
                paramLabel = "PLAINTEXT://HOST:PORT",
                description = "Where to serve the Kafka protocol (default PLAINTEXT://127.0.0.1:9092; port 0 "
                        + "picks a free one).")
        String listener;

        @Option(names = "--config", paramLabel = "FILE", description = "A Kafka-style server.properties file.")
        Path config;

        @Option(
                names = "--override",
                paramLabel = "KEY=VALUE",
                description = "A broker setting that wins over --config (repeatable), e.g. num.partitions=3.")
        Map<String, String> overrides = new LinkedHashMap<>();

        Start(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() throws Exception {
            List<String> args = new ArrayList<>();
            if (config != null) {
                args.add(config.toString());
            }
            overrides.forEach((k, v) -> args.add("--" + k + "=" + v));
            args.add("--log.dirs=" + dataDir);
            if (listener != null) {
                args.add("--listeners=" + listener);
            }
            ByteArrayOutputStream banner = new ByteArrayOutputStream();
            EmbeddedBroker broker;
            try {
                broker = WeirBrokerMain.start(
                        args.toArray(String[]::new), new PrintStream(banner, true, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(e.getMessage());
            }
            io.out().print(banner.toString(StandardCharsets.UTF_8));
            io.out().flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                broker.close();
                                io.err().println("Weir broker stopped cleanly.");
                                io.err().flush();
                                stopped.countDown();
                            },
                            "weir-broker-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
