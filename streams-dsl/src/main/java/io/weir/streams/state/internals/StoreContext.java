package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.utils.Time;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What a task gives a store it opens: its own directory, the changelog topic's name (also the topic the serdes
 * are told), the application's default serdes for a store that names none (asked for only then, since an
 * application that names every serde needs no default), its share of the record cache, and the clock.
 */
public record StoreContext(
        Path taskDirectory,
        String changelogTopic,
        Supplier<Serde<?>> defaultKeySerde,
        Supplier<Serde<?>> defaultValueSerde,
        long cacheMaxBytes,
        Time time) {}
