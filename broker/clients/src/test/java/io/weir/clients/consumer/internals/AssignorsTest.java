package io.weir.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssignorsTest {

    /** A strategy a user might name by class. */
    public static final class Custom implements ConsumerPartitionAssignor {
        public Custom() {}

        @Override
        public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
            return new GroupAssignment(Map.of());
        }

        @Override
        public String name() {
            return "custom";
        }
    }

    /** Implements the interface but cannot be built from config. */
    public static final class NeedsArgument implements ConsumerPartitionAssignor {
        public NeedsArgument(String ignored) {}

        @Override
        public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
            return new GroupAssignment(Map.of());
        }

        @Override
        public String name() {
            return "needs-argument";
        }
    }

    @Test
    void resolvesTheShortNames() {
        assertInstanceOf(RangeAssignor.class, Assignors.forName("range"));
        assertInstanceOf(RoundRobinAssignor.class, Assignors.forName("roundrobin"));
        assertInstanceOf(StickyAssignor.class, Assignors.forName("sticky"));
        assertInstanceOf(CooperativeStickyAssignor.class, Assignors.forName(" cooperative-sticky "));
    }

    @Test
    void mapsKafkasClassNamesToTheBuiltIns() {
        String kafka = "org.apache.kafka.clients.consumer.";
        assertInstanceOf(RangeAssignor.class, Assignors.forName(kafka + "RangeAssignor"));
        assertInstanceOf(RoundRobinAssignor.class, Assignors.forName(kafka + "RoundRobinAssignor"));
        assertInstanceOf(StickyAssignor.class, Assignors.forName(kafka + "StickyAssignor"));
        assertInstanceOf(CooperativeStickyAssignor.class, Assignors.forName(kafka + "CooperativeStickyAssignor"));
    }

    @Test
    void loadsOtherClassNamesReflectively() {
        assertInstanceOf(StickyAssignor.class, Assignors.forName(StickyAssignor.class.getName()));
        assertInstanceOf(Custom.class, Assignors.forName(Custom.class.getName()));
    }

    @Test
    void refusesAnUnknownNameNamingTheValueTheKeyAndTheKnownNames() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Assignors.forName("rnage"));
        String message = e.getMessage();
        assertTrue(message.contains("'rnage'"), message);
        assertTrue(message.contains("partition.assignment.strategy"), message);
        assertTrue(message.contains("[range, roundrobin, sticky, cooperative-sticky]"), message);
    }

    @Test
    void refusesABlankName() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Assignors.forName("  "));
        assertTrue(e.getMessage().contains("partition.assignment.strategy"), e.getMessage());
    }

    @Test
    void refusesAClassThatIsNotAnAssignor() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Assignors.forName("java.lang.String"));
        assertTrue(
                e.getMessage().contains("java.lang.String") && e.getMessage().contains("does not implement"),
                e.getMessage());
    }

    @Test
    void refusesAnAssignorWithoutANoArgumentConstructor() {
        InvalidConfigurationException e = assertThrows(
                InvalidConfigurationException.class, () -> Assignors.forName(NeedsArgument.class.getName()));
        assertTrue(e.getMessage().contains("no-argument constructor"), e.getMessage());
    }

    @Test
    void buildsAListInConfiguredOrder() {
        List<ConsumerPartitionAssignor> assignors =
                Assignors.forNames(List.of("cooperative-sticky", "range", Custom.class.getName()));
        assertEquals(
                List.of("cooperative-sticky", "range", "custom"),
                assignors.stream().map(ConsumerPartitionAssignor::name).toList());
    }

    @Test
    void refusesAnEmptyList() {
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> Assignors.forNames(List.of()));
        assertTrue(e.getMessage().contains("partition.assignment.strategy"), e.getMessage());
    }

    @Test
    void refusesTwoValuesNamingTheSameAssignor() {
        InvalidConfigurationException e = assertThrows(
                InvalidConfigurationException.class,
                () -> Assignors.forNames(
                        List.of("range", "sticky", "org.apache.kafka.clients.consumer.RangeAssignor")));
        String message = e.getMessage();
        assertTrue(message.contains("'range'") && message.contains("RangeAssignor'"), message);
        assertTrue(message.contains("partition.assignment.strategy"), message);
    }
}
