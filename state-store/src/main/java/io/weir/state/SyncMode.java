package io.weir.state;

/** How an LMDB commit reaches the disk. */
public enum SyncMode {
    /** fsync on every commit: a committed write survives an OS crash or power loss. */
    FSYNC,
    /** No fsync (LMDB {@code MDB_NOSYNC}): a commit survives a process crash, an OS crash may undo the last ones. */
    NO_SYNC
}
