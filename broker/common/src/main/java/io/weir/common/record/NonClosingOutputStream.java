package io.weir.common.record;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Lets a codec close its compressing stream (which is how gzip, snappy and zstd finish their framing and
 * return pooled buffers) without closing the batch output underneath, which the builder still owns.
 */
final class NonClosingOutputStream extends FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream would write byte by byte
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
