package io.weir.broker;

/**
 * When written batches are forced to disk. Consulted by the append thread at the end of every ring batch, for
 * each log the batch wrote, before the high watermark moves and acknowledgements complete: when it asks for a
 * sync, the batch goes to the ring's group commit, which syncs and only then publishes and acknowledges, so a
 * policy that syncs makes every acknowledgement it precedes durable, and one sync covers every batch that
 * arrived while the previous sync ran.
 *
 * <p>Implementations are stateless or confined to the one append thread that owns them.
 */
public interface FlushPolicy {

    /** Whether to sync now, given when this log was last synced. */
    boolean shouldFlush(long nowMs, long lastFlushMs);

    /** Leave it to the OS page cache, as Kafka does by default: an ack means "in the page cache". */
    FlushPolicy OS = new FlushPolicy() {
        @Override
        public boolean shouldFlush(long nowMs, long lastFlushMs) {
            return false;
        }

        @Override
        public String toString() {
            return "os";
        }
    };

    /** fsync before every acknowledgement: an ack means "on disk". */
    FlushPolicy EVERY_BATCH = new FlushPolicy() {
        @Override
        public boolean shouldFlush(long nowMs, long lastFlushMs) {
            return true;
        }

        @Override
        public String toString() {
            return "every-batch";
        }
    };

    /** fsync when {@code intervalMs} have passed since the last sync (also checked by the maintenance thread). */
    static FlushPolicy interval(long intervalMs) {
        return new FlushPolicy() {
            @Override
            public boolean shouldFlush(long nowMs, long lastFlushMs) {
                return nowMs - lastFlushMs >= intervalMs;
            }

            @Override
            public String toString() {
                return "interval(" + intervalMs + " ms)";
            }
        };
    }
}
