package io.weir.tools;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Runs {@code weir} as {@code main} does, with given standard input, and keeps what it printed. */
final class Cli {
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    static Result withInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WeirCommand.execute(
                Io.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return withInput("", args);
    }

    /** {@code args} followed by {@code --bootstrap-server <broker>}. */
    static String[] on(EmbeddedBroker broker, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-server");
        all.add(broker.bootstrapServers());
        return all.toArray(String[]::new);
    }

    static EmbeddedBroker broker(Path dir) {
        return EmbeddedBroker.open(Map.of(
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.EMBEDDED_NAME, "cli-test-" + UUID.randomUUID()));
    }
}
