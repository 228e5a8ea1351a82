package io.weir.peer;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link AdminBehaviour} on a real Apache Kafka broker, with Weir's network admin. */
@ExtendWith(KafkaBroker.class)
class KafkaAdminBehaviourTest extends AdminBehaviour {
    @Override
    Clients clients() {
        return new Clients(KafkaBroker.bootstrapServers());
    }
}
