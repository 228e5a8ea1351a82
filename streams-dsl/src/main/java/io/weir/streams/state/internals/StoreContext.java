package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.utils.Time;
import io.weir.state.ChangelogHook;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What a task gives a store it opens: its own directory, the changelog topic's name (also the topic the serdes
 * are told), where its changes go (null where nothing records them: the test driver, a store without logging), the
 * application's default serdes for a store that names none (asked for only then, since an application that names
 * every serde needs no default), its share of the record cache, and the clock.
 */
public record StoreContext(
        Path taskDirectory,
        String changelogTopic,
        ChangelogHook changelog,
        Supplier<Serde<?>> defaultKeySerde,
        Supplier<Serde<?>> defaultValueSerde,
        long cacheMaxBytes,
        Time time) {}
