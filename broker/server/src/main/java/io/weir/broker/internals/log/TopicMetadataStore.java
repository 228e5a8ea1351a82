package io.weir.broker.internals.log;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Topic definitions on disk: one text file, {@code meta/topics}, a line per topic —
 * {@code <topic> <partitions> [<key>=<value> ...]} with keys and values URL-encoded — replaced atomically on
 * every change. One file rather than one per topic because a topic name may be 249 characters long, which
 * leaves no room in a 255-byte file name for a suffix. Accessed under the {@link LogManager}'s lock.
 */
public final class TopicMetadataStore {
    private static final String HEADER =
            "# Weir topics v1: <topic> <partitions> [<config-key>=<value> ...], URL-encoded";

    /** A topic as stored: its name, partition count and configuration overrides. */
    public record TopicMetadata(String name, int partitions, Map<String, String> overrides) {}

    private final Path file;
    private final FileChannelFactory channels;
    private final Map<String, TopicMetadata> cache = new TreeMap<>();

    /** The store in {@code file}, written through {@code channels}, the seam of the directory's other files. */
    TopicMetadataStore(Path file, FileChannelFactory channels) {
        this.file = file;
        this.channels = channels;
    }

    Path file() {
        return file;
    }

    List<TopicMetadata> loadAll() throws IOException {
        cache.clear();
        if (Files.exists(file)) {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ");
                if (fields.length < 2) {
                    throw new IOException("Malformed line " + lineNumber + " in " + file + ": '" + line + "'");
                }
                Map<String, String> overrides = new TreeMap<>();
                for (int i = 2; i < fields.length; i++) {
                    int eq = fields[i].indexOf('=');
                    if (eq < 0) {
                        throw new IOException(
                                "Malformed config '" + fields[i] + "' on line " + lineNumber + " in " + file);
                    }
                    overrides.put(decode(fields[i].substring(0, eq)), decode(fields[i].substring(eq + 1)));
                }
                String name = decode(fields[0]);
                int partitions;
                try {
                    partitions = Integer.parseInt(fields[1]);
                } catch (NumberFormatException e) {
                    throw new IOException(
                            "Malformed partition count '" + fields[1] + "' on line " + lineNumber + " in " + file, e);
                }
                cache.put(name, new TopicMetadata(name, partitions, Map.copyOf(overrides)));
            }
        }
        return new ArrayList<>(cache.values());
    }

    void write(TopicMetadata meta) throws IOException {
        Map<String, TopicMetadata> next = new TreeMap<>(cache);
        next.put(meta.name(), meta);
        save(next.values());
        cache.put(meta.name(), meta);
    }

    void delete(String name) throws IOException {
        Map<String, TopicMetadata> next = new TreeMap<>(cache);
        next.remove(name);
        save(next.values());
        cache.remove(name);
    }

    /** @throws FileWriteException naming the file or directory whose creation, write or sync failed */
    private void save(Collection<TopicMetadata> topics) throws IOException {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw FileWriteException.of(file.getParent(), "create", e);
        }
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (TopicMetadata meta : topics) {
            out.append(encode(meta.name())).append(' ').append(meta.partitions());
            new TreeMap<>(meta.overrides())
                    .forEach((k, v) ->
                            out.append(' ').append(encode(k)).append('=').append(encode(v)));
            out.append('\n');
        }
        LogFiles.writeAtomically(channels, file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
