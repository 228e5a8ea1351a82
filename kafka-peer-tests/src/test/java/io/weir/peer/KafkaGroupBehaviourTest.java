package io.weir.peer;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link GroupBehaviour} on a real Apache Kafka broker, with Weir's network clients. */
@ExtendWith(KafkaBroker.class)
class KafkaGroupBehaviourTest extends GroupBehaviour {
    @Override
    Clients clients() {
        return new Clients(KafkaBroker.bootstrapServers());
    }
}
