package io.weir.streams.randomtopology;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A node of a random topology: a {@link StreamExpr}, a {@link TableExpr} or a {@link WindowedExpr} root. */
sealed interface Expr permits StreamExpr, TableExpr, WindowedExpr {

    /** The expressions this one reads, in the order they are built. */
    List<Expr> children();

    /** This expression and every expression below it, depth first. */
    default Stream<Expr> walk() {
        return Stream.concat(Stream.of(this), children().stream().flatMap(Expr::walk));
    }

    /** The name every topic, store and repartition topic has until the topology is labelled. */
    String UNNAMED = "?";

    /** The input topics this expression reads, once named. */
    default Set<String> topics() {
        return walk().map(e -> e instanceof StreamExpr.Source s
                        ? s.topic()
                        : e instanceof TableExpr.Source t ? t.topic() : null)
                .filter(topic -> topic != null && !topic.equals(UNNAMED))
                .collect(Collectors.toSet());
    }

    /**
     * Hands out the names of topics, stores and repartition topics when a generated topology is labelled, in the
     * order the topology is built: a fresh name each time, except for a shared source, which reuses the last source
     * of its kind unless that is excluded (read by the other side of the join being named).
     */
    final class Namer {
        private int streamTopics;
        private int tableTopics;
        private int stores;
        private int repartitions;
        private int closers;
        private TableExpr.Source lastTableSource;
        private final Set<String> excluded = new HashSet<>();

        String streamTopic() {
            return "s" + streamTopics++;
        }

        String tableTopic() {
            return "t" + tableTopics++;
        }

        String store() {
            return "store" + stores++;
        }

        /** The topic whose records close a stream-stream join's windows (see {@link StreamJoins}). */
        String closerTopic() {
            return "close" + closers++;
        }

        /** A repartition name for a grouping that asked for one ({@code requested} non-null), else null. */
        String repartition(String requested) {
            return requested == null ? null : "rp" + repartitions++;
        }

        /** The topic of the last stream source named, or null if there is none to reuse here. */
        String lastStreamTopic() {
            String last = streamTopics == 0 ? null : "s" + (streamTopics - 1);
            return excluded.contains(last) ? null : last;
        }

        void tableSourceNamed(TableExpr.Source source) {
            lastTableSource = source;
        }

        /** The last table source named, or null if there is none to reuse here. */
        TableExpr.Source lastTableSource() {
            return lastTableSource == null || excluded.contains(lastTableSource.topic()) ? null : lastTableSource;
        }

        /** Names an expression so that none of its shared sources reuses one of {@code topics}. */
        <E extends Expr> E excluding(Set<String> topics, Supplier<E> naming) {
            Set<String> added = new HashSet<>(topics);
            added.removeAll(excluded);
            excluded.addAll(added);
            try {
                return naming.get();
            } finally {
                excluded.removeAll(added);
            }
        }
    }
}
