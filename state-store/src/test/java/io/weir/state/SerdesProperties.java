package io.weir.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Round trips of the built-in serdes, and the byte order of the ordered numeric ones. */
class SerdesProperties {
    @Property(tries = 200)
    void orderedInt64SortsLikeTheNumbers(@ForAll long a, @ForAll long b) {
        Serde<Long> s = Serdes.orderedInt64();
        assertEquals(
                Integer.signum(Long.compare(a, b)),
                Integer.signum(Arrays.compareUnsigned(s.serialize(a), s.serialize(b))));
        assertEquals(a, s.deserialize(s.serialize(a)));
    }

    @Property(tries = 200)
    void orderedInt32SortsLikeTheNumbers(@ForAll int a, @ForAll int b) {
        Serde<Integer> s = Serdes.orderedInt32();
        assertEquals(
                Integer.signum(Integer.compare(a, b)),
                Integer.signum(Arrays.compareUnsigned(s.serialize(a), s.serialize(b))));
        assertEquals(a, s.deserialize(s.serialize(a)));
    }

    @Property(tries = 100)
    void builtInsRoundTrip(
            @ForAll String str,
            @ForAll int i,
            @ForAll long l,
            @ForAll double d,
            @ForAll byte[] bytes,
            @ForAll long msb,
            @ForAll long lsb) {
        assertEquals(str, Serdes.string().deserialize(Serdes.string().serialize(str)));
        assertEquals(i, Serdes.int32().deserialize(Serdes.int32().serialize(i)));
        assertEquals(l, Serdes.int64().deserialize(Serdes.int64().serialize(l)));
        assertEquals(d, Serdes.float64().deserialize(Serdes.float64().serialize(d)));
        assertEquals(bytes, Serdes.byteArray().deserialize(Serdes.byteArray().serialize(bytes)));
        UUID u = new UUID(msb, lsb);
        assertEquals(u, Serdes.uuid().deserialize(Serdes.uuid().serialize(u)));
    }
}
