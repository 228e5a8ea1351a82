package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Branched;
import io.weir.streams.kstream.BranchedKStream;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Predicate;
import io.weir.streams.processor.api.ProcessorSupplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The branches of one {@code split()}: the splitter node tests the predicates in order and forwards each record to
 * the child of the first branch it passes (or the default branch's). Branch streams hang off pass-through nodes
 * named {@code prefix + branch name}; an unnamed branch is named by its position from 1, the default branch 0.
 * The splitter is added with the first branch, and the result map is made once, by {@code defaultBranch} or
 * {@code noDefaultBranch}.
 */
final class BranchedKStreamImpl<K, V> implements BranchedKStream<K, V> {
    private final KStreamImpl<K, V> source;
    private final String splitter;
    private final String prefix;
    private final List<Predicate<? super K, ? super V>> predicates = new ArrayList<>();
    private final List<String> children = new ArrayList<>();
    private final Map<String, KStream<K, V>> result = new LinkedHashMap<>();
    private boolean splitterAdded;
    private boolean done;

    BranchedKStreamImpl(KStreamImpl<K, V> source, String splitter, String prefix) {
        this.source = source;
        this.splitter = splitter;
        this.prefix = prefix;
    }

    @Override
    public BranchedKStream<K, V> branch(Predicate<? super K, ? super V> predicate) {
        return branch(predicate, Branched.as(Integer.toString(predicates.size() + 1)));
    }

    @Override
    public BranchedKStream<K, V> branch(Predicate<? super K, ? super V> predicate, Branched<K, V> branched) {
        Objects.requireNonNull(predicate, "predicate");
        ensureOpen();
        predicates.add(predicate);
        addBranch(branched, Integer.toString(predicates.size()));
        return this;
    }

    @Override
    public Map<String, KStream<K, V>> defaultBranch() {
        return defaultBranch(Branched.as("0"));
    }

    @Override
    public Map<String, KStream<K, V>> defaultBranch(Branched<K, V> branched) {
        ensureOpen();
        addBranch(branched, "0");
        done = true;
        return Map.copyOf(result);
    }

    @Override
    public Map<String, KStream<K, V>> noDefaultBranch() {
        ensureOpen();
        ensureSplitter();
        done = true;
        return Map.copyOf(result);
    }

    private void ensureOpen() {
        if (done) {
            throw new IllegalStateException("The branches of " + splitter
                    + " are complete; a split takes no branch after its " + "default branch or noDefaultBranch()");
        }
    }

    private void ensureSplitter() {
        if (splitterAdded) {
            return;
        }
        splitterAdded = true;
        // Reads the lists as they are when each record arrives: every branch is added before the topology runs.
        List<Predicate<? super K, ? super V>> tests = predicates;
        List<String> targets = children;
        ProcessorSupplier<K, V, K, V> split = KStreamImpl.stateless((r, c) -> {
            for (int i = 0; i < tests.size(); i++) {
                if (tests.get(i).test(r.key(), r.value())) {
                    c.forward(r, targets.get(i));
                    return;
                }
            }
            if (targets.size() > tests.size()) {
                c.forward(r, targets.get(tests.size()));
            }
        });
        source.builder().topology().addProcessor(splitter, split, source.nodeName());
    }

    private void addBranch(Branched<K, V> branched, String position) {
        ensureSplitter();
        BranchedInternal<K, V> b = new BranchedInternal<>(Objects.requireNonNull(branched, "branched"));
        String key = prefix + (b.name() != null ? b.name() : position);
        if (result.containsKey(key) || children.contains(key)) {
            throw new IllegalArgumentException("Branch name " + key + " is used twice in split " + splitter);
        }
        // Kafka Streams uses up one generated name per branch, so the names generated after a split match its own.
        source.builder().newName("KSTREAM-BRANCHCHILD-");
        source.builder()
                .topology()
                .addProcessor(key, KStreamImpl.<K, V, K, V>stateless((r, c) -> c.forward(r)), splitter);
        children.add(key);
        KStream<K, V> branch = new KStreamImpl<>(
                source.builder(), key, source.keySerde(), source.valueSerde(), source.repartitionRequired());
        if (b.consumer() != null) {
            b.consumer().accept(branch);
        } else if (b.chain() != null) {
            KStream<K, V> chained = b.chain().apply(branch);
            if (chained != null) {
                result.put(key, chained);
            }
        } else {
            result.put(key, branch);
        }
    }
}
