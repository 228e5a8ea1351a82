package io.weir.transactions.coordinator;

/**
 * Hands out producer ids never handed out before (the broker's ProducerIdManager). Taking one is the only
 * thing the coordinator's verdicts consume: an id taken for a transition that is then refused or fails is
 * simply never used, which is harmless.
 */
@FunctionalInterface
public interface ProducerIdSource {
    long nextProducerId();
}
