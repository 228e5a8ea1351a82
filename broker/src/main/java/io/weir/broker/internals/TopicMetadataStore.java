package io.weir.broker.internals;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Topic definitions on disk, one {@code <topic>.properties} file each, holding the partition count and the
 * configuration overrides. Each file is replaced atomically. Accessed under the {@link LogManager}'s lock.
 */
public final class TopicMetadataStore {
    private static final String SUFFIX = ".properties";
    private static final String PARTITIONS = "partitions";
    private static final String CONFIG_PREFIX = "config.";

    /** A topic as stored: its name, partition count and configuration overrides. */
    public record TopicMetadata(String name, int partitions, Map<String, String> overrides) {
    }

    private final Path dir;

    TopicMetadataStore(Path dir) {
        this.dir = dir;
    }

    List<TopicMetadata> loadAll() throws IOException {
        List<TopicMetadata> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                Properties props = new Properties();
                props.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                Map<String, String> overrides = new TreeMap<>();
                for (String key : props.stringPropertyNames()) {
                    if (key.startsWith(CONFIG_PREFIX)) {
                        overrides.put(key.substring(CONFIG_PREFIX.length()), props.getProperty(key));
                    }
                }
                String partitions = props.getProperty(PARTITIONS);
                if (partitions == null) {
                    throw new IOException("Topic metadata " + file + " has no '" + PARTITIONS + "' entry");
                }
                all.add(new TopicMetadata(name, Integer.parseInt(partitions.trim()), Map.copyOf(overrides)));
            }
        }
        return all;
    }

    void write(TopicMetadata meta) throws IOException {
        Files.createDirectories(dir);
        Properties props = new Properties();
        props.setProperty(PARTITIONS, Integer.toString(meta.partitions()));
        meta.overrides().forEach((k, v) -> props.setProperty(CONFIG_PREFIX + k, v));
        StringWriter out = new StringWriter();
        props.store(out, "Weir topic " + meta.name());
        AtomicFiles.write(dir.resolve(meta.name() + SUFFIX), out.toString().getBytes(StandardCharsets.UTF_8));
    }

    void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name + SUFFIX));
        LogManager.syncDirectory(dir);
    }
}
