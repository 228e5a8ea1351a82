package io.weir.state.errors;

/** The Kryo serde met a class that was not registered; the message says how to register it. */
public final class UnregisteredClassException extends SerializationException {
    private final String className;

    public UnregisteredClassException(String className, Throwable cause) {
        super(
                "class " + className + " is not registered with this KryoSerde; register it with "
                        + "KryoSerde.builder(...).register(" + simple(className) + ".class) or in a KryoRegistrar. "
                        + "Registration order is part of the stored format: append new classes, never reorder",
                cause);
        this.className = className;
    }

    private static String simple(String className) {
        int dot = className.lastIndexOf('.');
        return (dot < 0 ? className : className.substring(dot + 1)).replace('$', '.');
    }

    public String className() {
        return className;
    }
}
