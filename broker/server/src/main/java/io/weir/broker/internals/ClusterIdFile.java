package io.weir.broker.internals;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.KafkaStorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Properties;
import java.util.UUID;

/**
 * The cluster id of a data directory, kept in {@code meta.properties} as Kafka keeps it, so that a broker reopened
 * on the same directory reports the same id to Kafka clients (which notice a cluster id that changes under them).
 * The first open stores the configured {@code cluster.id}, or, when that is the default, a fresh random id in
 * Kafka's form (a URL-safe base64 UUID). A configured id that differs from the stored one is refused, as Kafka's
 * broker refuses it: the directory belongs to another cluster. The file is written to a temporary name, forced to
 * disk and renamed, so a crash leaves the old file or the new one, never an empty one. Called once per open, with
 * the directory's lock held, before anything else reads the id.
 */
public final class ClusterIdFile {
    static final String FILE = "meta.properties";
    private static final String KEY = "cluster.id";

    private ClusterIdFile() {}

    /**
     * The directory's cluster id; stores one when the directory has none.
     *
     * @param configured the configured {@code cluster.id}
     * @param isDefault  whether {@code configured} is only the default, to be replaced by a random id
     * @throws KafkaStorageException         the file cannot be read or written
     * @throws InvalidConfigurationException an explicitly configured id differs from the stored one
     */
    public static String loadOrCreate(Path dataDir, String configured, boolean isDefault) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                Properties props = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    props.load(in);
                }
                String stored = props.getProperty(KEY);
                if (stored != null && !stored.isBlank()) {
                    if (!isDefault && !stored.equals(configured)) {
                        throw new InvalidConfigurationException("The configured cluster.id " + configured
                                + " does not match the id " + stored + " stored in " + file
                                + ": this data directory belongs to another cluster");
                    }
                    return stored;
                }
            }
            String id = isDefault ? randomId() : configured;
            Files.createDirectories(dataDir);
            Properties props = new Properties();
            props.setProperty("version", "1");
            props.setProperty(KEY, id);
            Path tmp = dataDir.resolve(FILE + ".tmp");
            try (FileChannel channel = FileChannel.open(
                            tmp,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    OutputStream out = Channels.newOutputStream(channel)) {
                props.store(out, "Written by Weir on the directory's first open");
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new KafkaStorageException("Cannot read or write the cluster id in " + file + ": " + e, e);
        }
    }

    private static String randomId() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes =
                ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
