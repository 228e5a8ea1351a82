package io.weir.state;

/** A source of monotonic nanoseconds; injected so that tests drive the close grace and restore rates. */
@FunctionalInterface
public interface Ticker {
    long nanoTime();

    static Ticker system() {
        return System::nanoTime;
    }
}
