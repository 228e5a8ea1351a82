package io.weir.state;

import com.esotericsoftware.kryo.Kryo;

/**
 * Registers classes (and custom serializers) on each pooled Kryo instance of a {@link KryoSerde}. Called once per
 * instance, so it must register the same classes in the same order every time: registration ids are part of the
 * stored bytes.
 */
@FunctionalInterface
public interface KryoRegistrar {
    void registerClasses(Kryo kryo);
}
