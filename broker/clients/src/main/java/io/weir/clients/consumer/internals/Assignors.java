package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.CooperativeStickyAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.clients.consumer.RoundRobinAssignor;
import io.weir.clients.consumer.StickyAssignor;
import io.weir.common.errors.InvalidConfigurationException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns the values of {@code partition.assignment.strategy} into assignors. A value is one of the short names
 * {@code range}, {@code roundrobin}, {@code sticky}, {@code cooperative-sticky}; the Kafka class name of one of
 * those ({@code org.apache.kafka.clients.consumer.RangeAssignor} and so on), so that Kafka configs carry over;
 * or the fully qualified name of any class implementing {@link ConsumerPartitionAssignor} with a public
 * no-argument constructor, loaded through the thread's context class loader.
 *
 * <p>Every refusal is an {@link InvalidConfigurationException} naming the key, the bad value and what would
 * have been accepted. Stateless and thread-safe.
 */
public final class Assignors {
    public static final String CONFIG = "partition.assignment.strategy";

    private static final Map<String, Supplier<ConsumerPartitionAssignor>> BUILT_IN = new LinkedHashMap<>();
    private static final Map<String, String> KAFKA_CLASS_NAMES = new HashMap<>();

    static {
        BUILT_IN.put(RangeAssignor.NAME, RangeAssignor::new);
        BUILT_IN.put(RoundRobinAssignor.NAME, RoundRobinAssignor::new);
        BUILT_IN.put(StickyAssignor.NAME, StickyAssignor::new);
        BUILT_IN.put(CooperativeStickyAssignor.NAME, CooperativeStickyAssignor::new);
        String kafka = "org.apache.kafka.clients.consumer.";
        KAFKA_CLASS_NAMES.put(kafka + "RangeAssignor", RangeAssignor.NAME);
        KAFKA_CLASS_NAMES.put(kafka + "RoundRobinAssignor", RoundRobinAssignor.NAME);
        KAFKA_CLASS_NAMES.put(kafka + "StickyAssignor", StickyAssignor.NAME);
        KAFKA_CLASS_NAMES.put(kafka + "CooperativeStickyAssignor", CooperativeStickyAssignor.NAME);
    }

    private Assignors() {}

    /**
     * A new assignor for one configured value; surrounding whitespace is ignored, as in a comma-separated list.
     *
     * @throws InvalidConfigurationException if the value is blank, names no known strategy or loadable class,
     *                                       or names a class that is not a usable {@link ConsumerPartitionAssignor}
     */
    public static ConsumerPartitionAssignor forName(String nameOrClassName) {
        String value = nameOrClassName == null ? "" : nameOrClassName.trim();
        if (value.isEmpty()) {
            throw refuse(nameOrClassName, "no strategy named");
        }
        Supplier<ConsumerPartitionAssignor> builtIn = BUILT_IN.get(KAFKA_CLASS_NAMES.getOrDefault(value, value));
        if (builtIn != null) {
            return builtIn.get();
        }
        return instantiate(value);
    }

    /**
     * New assignors for a configured list, in order (the first is the member's preferred strategy).
     *
     * @throws InvalidConfigurationException if the list is empty, any value is refused by {@link #forName}, or
     *                                       two values resolve to assignors with the same {@link
     *                                       ConsumerPartitionAssignor#name()}
     */
    public static List<ConsumerPartitionAssignor> forNames(List<String> namesOrClassNames) {
        if (namesOrClassNames == null || namesOrClassNames.isEmpty()) {
            throw new InvalidConfigurationException("Configuration " + CONFIG + " must name at least one strategy,"
                    + " e.g. one of " + BUILT_IN.keySet());
        }
        Map<String, String> valueByName = new HashMap<>();
        List<ConsumerPartitionAssignor> assignors = new ArrayList<>();
        for (String value : namesOrClassNames) {
            ConsumerPartitionAssignor assignor = forName(value);
            String earlier = valueByName.putIfAbsent(assignor.name(), value);
            if (earlier != null) {
                throw new InvalidConfigurationException("Invalid value " + namesOrClassNames + " for configuration "
                        + CONFIG + ": '" + earlier + "' and '" + value + "' both name assignor '" + assignor.name()
                        + "'; each strategy may be listed once");
            }
            assignors.add(assignor);
        }
        return List.copyOf(assignors);
    }

    private static ConsumerPartitionAssignor instantiate(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Assignors.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw refuse(className, "no such strategy or class");
        }
        if (!ConsumerPartitionAssignor.class.isAssignableFrom(type)) {
            throw refuse(className, "class does not implement " + ConsumerPartitionAssignor.class.getName());
        }
        try {
            return (ConsumerPartitionAssignor) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw refuse(className, "class has no public no-argument constructor");
        } catch (InstantiationException e) {
            throw refuse(className, "class is abstract");
        } catch (InvocationTargetException e) {
            throw new InvalidConfigurationException(
                    "Invalid value '" + className + "' for configuration " + CONFIG + ": its constructor threw "
                            + e.getCause(),
                    e.getCause());
        }
    }

    private static InvalidConfigurationException refuse(String value, String why) {
        return new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + CONFIG
                + ": " + why + "; expected one of " + BUILT_IN.keySet() + " or the class name of a "
                + ConsumerPartitionAssignor.class.getSimpleName() + " implementation");
    }
}
