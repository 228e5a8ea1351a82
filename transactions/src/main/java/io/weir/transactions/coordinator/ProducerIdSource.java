package io.weir.transactions.coordinator;

/**
 * Hands out producer ids never handed out before (the broker's ProducerIdManager). Taking one is the only
 * thing the coordinator's verdicts consume: an id taken for a transition that then fails is simply never
 * used, which is harmless.
 */
@FunctionalInterface
public interface ProducerIdSource {

    /**
     * @throws Unavailable if no id can be handed out now (its reservation could not be made durable); the
     *         InitProducerId that needed it is answered COORDINATOR_NOT_AVAILABLE and nothing changes
     */
    long nextProducerId();

    /** No producer id can be handed out now; the message says why. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
