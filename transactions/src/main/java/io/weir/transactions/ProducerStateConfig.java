package io.weir.transactions;

/**
 * Typed settings of a partition's producer state, parsed once from the broker's string-keyed config.
 *
 * @param producerIdExpirationMs {@code producer.id.expiration.ms}: how long a producer with no open
 *        transaction may stay silent on a partition before its state is dropped. Afterwards its next batch is
 *        treated as coming from an unknown producer id, so this bounds how long a client may pause and still
 *        have its retries deduplicated.
 */
public record ProducerStateConfig(long producerIdExpirationMs) {

    /** Kafka's default: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    public static final ProducerStateConfig DEFAULT = new ProducerStateConfig(DEFAULT_PRODUCER_ID_EXPIRATION_MS);

    /** @throws IllegalArgumentException if the expiration is not positive */
    public ProducerStateConfig {
        if (producerIdExpirationMs <= 0) {
            throw new IllegalArgumentException(
                    "producer.id.expiration.ms must be positive, was " + producerIdExpirationMs);
        }
    }
}
