package io.weir.state.internals;

import io.weir.state.errors.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The on-disk checkpoint record, stored under one key of the environment's {@code meta} database and written in the
 * same LMDB transaction as the data it describes.
 *
 * <pre>
 * magic   int32  'WCKP' — tells a checkpoint from a stray value
 * version int16  1      — the layout below; bump on change
 * offset  int64  >= 0   — the changelog offset the committed data reflects
 * crc     int32         — CRC32C of the 14 bytes above; LMDB pages carry no checksum of their own
 * </pre>
 */
final class CheckpointCodec {
    static final int MAGIC = 0x57434B50;
    static final short VERSION = 1;
    static final int LENGTH = 18;

    private CheckpointCodec() {}

    static byte[] encode(long offset) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putInt(MAGIC).putShort(VERSION).putLong(offset);
        b.putInt(crc(b.array()));
        return b.array();
    }

    static long decode(Path directory, byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new CorruptCheckpointException(directory, "expected " + LENGTH + " bytes, found " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int magic = b.getInt();
        short version = b.getShort();
        long offset = b.getLong();
        int crc = b.getInt();
        if (magic != MAGIC) {
            throw new CorruptCheckpointException(directory, "bad magic 0x" + Integer.toHexString(magic));
        }
        if (crc != crc(bytes)) {
            throw new CorruptCheckpointException(
                    directory,
                    "CRC mismatch: stored 0x" + Integer.toHexString(crc) + ", computed 0x"
                            + Integer.toHexString(crc(bytes)));
        }
        if (version != VERSION) {
            throw new CorruptCheckpointException(directory, "unknown version " + version);
        }
        if (offset < 0) {
            throw new CorruptCheckpointException(directory, "negative offset " + offset);
        }
        return offset;
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, LENGTH - 4);
        return (int) crc.getValue();
    }
}
