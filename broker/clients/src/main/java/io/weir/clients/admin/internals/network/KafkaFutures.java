package io.weir.clients.admin.internals.network;

import io.weir.clients.admin.KeyedResult;
import io.weir.clients.internals.network.KafkaErrors;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.KafkaFuture;

/**
 * Kafka's admin futures as Weir's: a {@link KafkaFuture} becomes a {@link CompletableFuture} that completes, on
 * Kafka's admin thread, with the converted value or with the {@link KafkaErrors translated} exception. Stateless.
 */
final class KafkaFutures {
    private KafkaFutures() {}

    static <A, B> CompletableFuture<B> weir(KafkaFuture<A> kafka, Function<A, B> convert) {
        CompletableFuture<B> out = new CompletableFuture<>();
        kafka.whenComplete((value, error) -> {
            // Whatever happens here completes the future: an exception escaping this callback would be lost in
            // Kafka's future and leave the caller waiting forever.
            try {
                if (error != null) {
                    out.completeExceptionally(KafkaErrors.translate(error));
                } else {
                    out.complete(convert.apply(value));
                }
            } catch (Throwable e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    static <A> CompletableFuture<Void> weir(KafkaFuture<A> kafka) {
        return weir(kafka, v -> null);
    }

    /** Per-key Kafka futures as a Weir {@link KeyedResult}, each key and value converted. */
    static <KK, KW, A, B> KeyedResult<KW, B> keyed(
            Map<KK, KafkaFuture<A>> kafka, Function<KK, KW> key, Function<A, B> convert) {
        Map<KW, CompletableFuture<B>> out = new HashMap<>();
        kafka.forEach((k, f) -> out.put(key.apply(k), weir(f, convert)));
        return new KeyedResult<>(out);
    }
}
