package io.weir.peer;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ClientBehaviour} on a real Apache Kafka broker, with Weir's network clients. */
@ExtendWith(KafkaBroker.class)
class KafkaClientBehaviourTest extends ClientBehaviour {
    @Override
    Clients clients() {
        return new Clients(KafkaBroker.bootstrapServers());
    }
}
