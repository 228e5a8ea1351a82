/**
 * Local state for stream processing: key-value stores on LMDB or in memory, an optional record cache in front of
 * them, serdes, the changelog hook and the checkpoint.
 *
 * <p><b>Key order.</b> Every store orders keys by their <em>serialized bytes</em>, compared as unsigned bytes
 * lexicographically (a shorter key sorts before any longer key it is a prefix of) — LMDB's default {@code memcmp}
 * order. Range, reverse and prefix scans follow that order, not the order of the Java objects; use
 * {@link io.weir.state.Serdes#orderedInt32()} and {@link io.weir.state.Serdes#orderedInt64()} when numeric keys must
 * scan in numeric order.
 *
 * <p><b>Threading.</b> A {@link io.weir.state.KeyValueStore} belongs to one owner thread (a stream thread): all
 * its methods, reads included, are called by that thread. Its reads see the owner's uncommitted writes. Other
 * threads (interactive queries) use {@link io.weir.state.KeyValueStore#readOnlyView()}, which is thread-safe and
 * sees committed data only, each scan one consistent snapshot.
 *
 * <p><b>Durability.</b> Writes become durable, together with the changelog offset they reflect, only on
 * {@link io.weir.state.StateStore#commit(long)}. Closing or crashing before that returns the store to the last
 * commit.
 */
package io.weir.state;
