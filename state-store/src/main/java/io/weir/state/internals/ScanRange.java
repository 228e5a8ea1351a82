package io.weir.state.internals;

import java.util.NavigableMap;

/**
 * A key range in the store's byte order: {@code from} inclusive (null = unbounded), {@code to} inclusive or
 * exclusive (null = unbounded), walked ascending or descending. An empty {@code from} is the same as unbounded (no
 * key sorts below it); ranges whose bounds cross are empty.
 */
record ScanRange(byte[] from, byte[] to, boolean toInclusive, boolean reverse) {
    static final ScanRange ALL = new ScanRange(null, null, true, false);

    ScanRange {
        if (from != null && from.length == 0) {
            from = null;
        }
    }

    static ScanRange closed(byte[] from, byte[] to, boolean reverse) {
        return new ScanRange(from, to, true, reverse);
    }

    static ScanRange prefix(byte[] prefix) {
        return new ScanRange(prefix, prefix.length == 0 ? null : ByteKeys.prefixEnd(prefix), false, false);
    }

    boolean isEmpty() {
        if (to == null) {
            return false;
        }
        if (to.length == 0) {
            return true;
        }
        if (from == null) {
            return false;
        }
        int c = ByteKeys.compare(from, to);
        return toInclusive ? c > 0 : c >= 0;
    }

    boolean belowFrom(byte[] key) {
        return from != null && ByteKeys.compare(key, from) < 0;
    }

    boolean aboveTo(byte[] key) {
        if (to == null) {
            return false;
        }
        int c = ByteKeys.compare(key, to);
        return toInclusive ? c > 0 : c >= 0;
    }

    /** The part of {@code map} inside this range, in this range's direction. Requires {@code !isEmpty()}. */
    <V> NavigableMap<byte[], V> of(NavigableMap<byte[], V> map) {
        NavigableMap<byte[], V> sub = map;
        if (from != null) {
            sub = sub.tailMap(from, true);
        }
        if (to != null) {
            sub = sub.headMap(to, toInclusive);
        }
        return reverse ? sub.descendingMap() : sub;
    }
}
