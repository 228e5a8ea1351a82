package io.weir.streams.randomtopology;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A random topology: one or more independent roots, each written to its own output topic. */
record RandomTopology(List<Root> roots) {

    /** What a root writes: a stream's records, or a table's changes ({@code toStream()}). */
    sealed interface Root {
        String topic();

        Expr expr();

        record StreamOut(StreamExpr expr, String topic) implements Root {
            @Override
            public String toString() {
                return expr + ".to(\"" + topic + "\")";
            }
        }

        record TableOut(TableExpr expr, String topic) implements Root {
            @Override
            public String toString() {
                return expr + ".toStream().to(\"" + topic + "\")";
            }
        }

        /** A windowed aggregation, judged by its store alone (its topic is unused). */
        record WindowedOut(WindowedExpr expr, String topic) implements Root {
            @Override
            public String toString() {
                return expr.toString();
            }
        }
    }

    /** The same roots with unique topic, store and repartition names, numbered in the order the roots are built. */
    static RandomTopology labelled(List<Expr> exprs) {
        Expr.Namer namer = new Expr.Namer();
        List<Root> roots = new ArrayList<>();
        for (Expr expr : exprs) {
            String out = "out" + roots.size();
            roots.add(
                    expr instanceof StreamExpr stream
                            ? new Root.StreamOut(stream.named(namer), out)
                            : expr instanceof WindowedExpr windowed
                                    ? new Root.WindowedOut(windowed.named(namer), out)
                                    : new Root.TableOut(((TableExpr) expr).named(namer), out));
        }
        return new RandomTopology(List.copyOf(roots));
    }

    Stream<Expr> walk() {
        return roots.stream().flatMap(root -> root.expr().walk());
    }

    List<String> streamTopics() {
        return walk().filter(e -> e instanceof StreamExpr.Source)
                .map(e -> ((StreamExpr.Source) e).topic())
                .distinct()
                .toList();
    }

    List<String> tableTopics() {
        return walk().filter(e -> e instanceof TableExpr.Source)
                .map(e -> ((TableExpr.Source) e).topic())
                .distinct()
                .toList();
    }

    /** The tables that have a named store: sources (each once) and aggregations. */
    List<TableExpr> materialized() {
        return walk().filter(e -> (e instanceof TableExpr.Source s && !s.shared())
                        || e instanceof TableExpr.StreamAggregate
                        || e instanceof TableExpr.TableAggregate)
                .map(e -> (TableExpr) e)
                .toList();
    }

    boolean hasStreamTableJoin() {
        return walk().anyMatch(e -> e instanceof StreamExpr.JoinTable);
    }

    @Override
    public String toString() {
        StringBuilder code = new StringBuilder();
        roots.forEach(root -> code.append("\n    ").append(root).append(';'));
        return code.toString();
    }
}
