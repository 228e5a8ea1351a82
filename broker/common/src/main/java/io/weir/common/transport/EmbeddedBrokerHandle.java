package io.weir.common.transport;

import java.nio.file.Path;

/** A broker running in this process, as its opener sees it: where clients reach it, where it keeps its data. */
public interface EmbeddedBrokerHandle extends AutoCloseable {

    /** The value for a client's {@code bootstrap.servers}: {@code embedded:<name>}. */
    String bootstrapServers();

    /** The data directory ({@code log.dirs}); a temporary one, removed on close, when none was configured. */
    Path dataDir();

    /** Stops the broker after syncing its logs; idempotent. */
    @Override
    void close();
}
