package io.weir.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import io.weir.state.errors.SerializationException;
import io.weir.state.errors.UnregisteredClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * A serde for user types, on Kryo. Kryo instances are not thread-safe, so each call borrows one (with its output
 * buffer) from a pool and returns it; the serde itself is thread-safe. Registration is required: every class that
 * can appear in a value — including field types and Java records — must be registered, explicitly with
 * {@link Builder#register} or through a {@link KryoRegistrar}, in a fixed order (the ids are in the stored bytes).
 * An unregistered class fails with {@link UnregisteredClassException} naming it. Values are written with their
 * class id, so a serde for an interface type handles its registered implementations.
 *
 * <pre>{@code
 * Serde<Order> serde = KryoSerde.builder(Order.class).register(Order.class).register(Item.class).build();
 * }</pre>
 */
public final class KryoSerde<T> implements Serde<T> {
    private final Class<T> type;
    private final Pool<Pooled> pool;

    private KryoSerde(Builder<T> builder) {
        this.type = builder.type;
        List<Class<?>> classes = List.copyOf(builder.classes);
        List<KryoRegistrar> registrars = List.copyOf(builder.registrars);
        this.pool = new Pool<>(true, false, builder.poolSize) {
            @Override
            protected Pooled create() {
                return new Pooled(newKryo(classes, registrars));
            }
        };
        // Fail at build time, not at the first write, if a registrar throws.
        pool.free(pool.obtain());
    }

    public static <T> Builder<T> builder(Class<T> type) {
        return new Builder<>(type);
    }

    private static Kryo newKryo(List<Class<?>> classes, List<KryoRegistrar> registrars) {
        Kryo kryo = new Kryo() {
            @Override
            protected String unregisteredClassMessage(Class type) {
                // Kryo wraps nested failures in KryoException; throwing our own here keeps the class name findable.
                throw new UnregisteredClassException(type == null ? "null" : type.getName(), null);
            }
        };
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
        for (Class<?> c : classes) {
            kryo.register(c);
        }
        for (KryoRegistrar registrar : registrars) {
            registrar.registerClasses(kryo);
        }
        return kryo;
    }

    @Override
    public byte[] serialize(T value) {
        if (value == null) {
            return null;
        }
        Pooled p = pool.obtain();
        try {
            p.output.reset();
            p.kryo.writeClassAndObject(p.output, value);
            return p.output.toBytes();
        } catch (KryoException | UnregisteredClassException e) {
            throw translate("serialize", value.getClass().getName(), e);
        } finally {
            pool.free(p);
        }
    }

    @Override
    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Pooled p = pool.obtain();
        Object value;
        try {
            value = p.kryo.readClassAndObject(new Input(bytes));
        } catch (KryoException | UnregisteredClassException | IndexOutOfBoundsException e) {
            throw translate("deserialize", type.getName(), e);
        } finally {
            pool.free(p);
        }
        if (value != null && !type.isInstance(value)) {
            throw new SerializationException("KryoSerde<" + type.getName() + "> read a "
                    + value.getClass().getName());
        }
        return type.cast(value);
    }

    private static SerializationException translate(String op, String typeName, RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnregisteredClassException u) {
                return new UnregisteredClassException(u.className(), e);
            }
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("unregistered class ID")) {
            return new SerializationException(
                    "cannot " + op + " " + typeName + ": "
                            + message.lines().findFirst().orElse(message)
                            + " (the bytes were written with registrations this serde does not have; "
                            + "register the same classes in the same order)",
                    e);
        }
        return new SerializationException("cannot " + op + " " + typeName + " with Kryo: " + message, e);
    }

    private static final class Pooled {
        final Kryo kryo;
        final Output output = new Output(256, -1);

        Pooled(Kryo kryo) {
            this.kryo = kryo;
        }
    }

    /** Builds a {@link KryoSerde}; rejects a bad or repeated option when it is set. */
    public static final class Builder<T> {
        private final Class<T> type;
        private final List<Class<?>> classes = new ArrayList<>();
        private final List<KryoRegistrar> registrars = new ArrayList<>();
        private int poolSize = -1;

        private Builder(Class<T> type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** Registers a class with the next free id. Order matters and must not change between runs. */
        public Builder<T> register(Class<?> c) {
            Objects.requireNonNull(c, "class");
            if (classes.contains(c)) {
                throw new IllegalArgumentException(c.getName() + " is already registered");
            }
            classes.add(c);
            return this;
        }

        /** Adds a registrar, run after the classes given to {@link #register}. */
        public Builder<T> registrar(KryoRegistrar registrar) {
            registrars.add(Objects.requireNonNull(registrar, "registrar"));
            return this;
        }

        /** Most Kryo instances kept for reuse (default: 2 x available processors). */
        public Builder<T> poolSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("poolSize must be >= 1, was " + size);
            }
            if (poolSize != -1) {
                throw new IllegalStateException("poolSize already set to " + poolSize);
            }
            poolSize = size;
            return this;
        }

        public KryoSerde<T> build() {
            if (poolSize == -1) {
                poolSize = 2 * Runtime.getRuntime().availableProcessors();
            }
            return new KryoSerde<>(this);
        }
    }
}
