package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Overlays a sorted snapshot of newer entries (values may be {@link PendingWrites#TOMBSTONE}) on an iterator over
 * older data, both in the same direction: on equal keys the overlay wins, tombstones hide the key. Closing closes
 * the underlying iterator.
 */
final class MergingIterator implements BytesIterator {
    private final List<KeyValue<byte[], byte[]>> overlay;
    private final BytesIterator base;
    private final int direction;
    private int overlayNext;
    private KeyValue<byte[], byte[]> next;

    MergingIterator(List<KeyValue<byte[], byte[]>> overlay, BytesIterator base, boolean reverse) {
        this.overlay = overlay;
        this.base = base;
        this.direction = reverse ? -1 : 1;
        advance();
    }

    private void advance() {
        next = null;
        while (next == null) {
            boolean haveOverlay = overlayNext < overlay.size();
            boolean haveBase = base.hasNext();
            if (!haveOverlay && !haveBase) {
                return;
            }
            if (haveOverlay && haveBase) {
                KeyValue<byte[], byte[]> o = overlay.get(overlayNext);
                int c = ByteKeys.compare(o.key(), base.peekNextKey()) * direction;
                if (c > 0) {
                    next = base.next();
                    continue;
                }
                if (c == 0) {
                    base.next();
                }
            } else if (haveBase) {
                next = base.next();
                continue;
            }
            KeyValue<byte[], byte[]> o = overlay.get(overlayNext++);
            if (o.value() != PendingWrites.TOMBSTONE) {
                next = o;
            }
        }
    }

    @Override
    public boolean hasNext() {
        return next != null;
    }

    @Override
    public KeyValue<byte[], byte[]> next() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        KeyValue<byte[], byte[]> result = next;
        advance();
        return result;
    }

    @Override
    public byte[] peekNextKey() {
        if (next == null) {
            throw new NoSuchElementException();
        }
        return next.key();
    }

    @Override
    public void close() {
        base.close();
    }
}
