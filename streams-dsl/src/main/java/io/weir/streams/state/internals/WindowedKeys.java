package io.weir.streams.state.internals;

import io.weir.state.WindowedKey;
import io.weir.streams.kstream.SessionWindow;
import io.weir.streams.kstream.TimeWindow;
import io.weir.streams.kstream.Windowed;

/** Converts between the state-store module's {@link WindowedKey} and the DSL's {@link Windowed}. */
final class WindowedKeys {
    private WindowedKeys() {}

    static <K> Windowed<K> timeWindowed(WindowedKey<K> key) {
        return new Windowed<>(key.key(), new TimeWindow(key.start(), key.end()));
    }

    static <K> Windowed<K> sessionWindowed(WindowedKey<K> key) {
        return new Windowed<>(key.key(), new SessionWindow(key.start(), key.end()));
    }

    static <K> WindowedKey<K> of(Windowed<K> windowed) {
        return new WindowedKey<>(
                windowed.key(), windowed.window().start(), windowed.window().end());
    }
}
