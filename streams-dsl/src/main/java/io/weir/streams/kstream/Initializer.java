package io.weir.streams.kstream;

/** The starting value of an aggregate, for a key seen for the first time. */
@FunctionalInterface
public interface Initializer<VA> {
    VA apply();
}
