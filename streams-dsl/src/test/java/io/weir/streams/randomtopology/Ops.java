package io.weir.streams.randomtopology;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * The named functions a random topology is built from. Both the Weir topology and the reference interpreter call
 * these same functions, so a difference between them is a difference in how records flow, never in what a lambda
 * computes. Each is an enum constant so that a shrunk counterexample prints as readable code.
 *
 * <p>Keys are {@code k0..k5} at the input; values are small non-negative longs, kept below 1000 by every value
 * function and joiner so that aggregates stay far from overflow.
 */
final class Ops {
    private Ops() {}

    static final int VALUE_BOUND = 1000;

    /** A filter's predicate, on the key or the value. */
    enum Pred {
        EVEN_VALUE((k, v) -> v % 2 == 0),
        NOT_MULTIPLE_OF_THREE((k, v) -> v % 3 != 0),
        BELOW_TWELVE((k, v) -> v < 12),
        KEY_NOT_K0((k, v) -> !k.equals("k0"));

        private final BiPredicate<String, Long> test;

        Pred(BiPredicate<String, Long> test) {
            this.test = test;
        }

        boolean test(String key, long value) {
            return test.test(key, value);
        }
    }

    /** A value mapper. */
    enum ValueFn {
        PLUS_ONE(v -> v + 1),
        TIMES_THREE(v -> 3 * v),
        MOD_SEVEN(v -> v % 7),
        SQUARE_MOD_101(v -> v * v % 101);

        private final LongUnaryOperator fn;

        ValueFn(LongUnaryOperator fn) {
            this.fn = fn;
        }

        long apply(long value) {
            return Math.floorMod(fn.applyAsLong(value), VALUE_BOUND);
        }
    }

    /**
     * A key selector (for {@code selectKey}, {@code map}, {@code groupBy}). The first two keep keys inside
     * {@code k0..k5}, so re-keyed records still meet table rows in a join; the third leaves that key space.
     */
    enum KeyFn {
        VALUE_MOD_THREE((k, v) -> "k" + v % 3),
        COARSEN((k, v) -> "k" + lastDigit(k) / 2),
        WITH_PARITY((k, v) -> k + "." + v % 2);

        private final BiFunction<String, Long, String> fn;

        KeyFn(BiFunction<String, Long, String> fn) {
            this.fn = fn;
        }

        String apply(String key, long value) {
            return fn.apply(key, value);
        }

        private static int lastDigit(String key) {
            return Character.digit(key.charAt(key.length() - 1), 10);
        }
    }

    /** A {@code flatMapValues} mapper: none, one or several values per record. */
    enum Fan {
        ECHO_PLUS_ONE(v -> List.of(v, (v + 1) % VALUE_BOUND)),
        DROP_MULTIPLES_OF_FIVE(v -> v % 5 == 0 ? List.of() : List.of(v)),
        SPREAD(v -> List.of(v, 2 * v % VALUE_BOUND, 3 * v % VALUE_BOUND));

        private final LongFunction<List<Long>> fn;

        Fan(LongFunction<List<Long>> fn) {
            this.fn = fn;
        }

        List<Long> apply(long value) {
            return fn.apply(value);
        }
    }

    /** A value joiner; either side may be null (a left or outer join's miss), and a null side counts distinctly. */
    enum Joiner {
        WEIGHTED((a, b) -> 3 * or(a, 500) + or(b, 7)),
        DISTANCE((a, b) -> Math.abs(or(a, 11) - 2 * or(b, 13)));

        private final BiFunction<Long, Long, Long> fn;

        Joiner(BiFunction<Long, Long, Long> fn) {
            this.fn = fn;
        }

        long apply(Long left, Long right) {
            return Math.floorMod(fn.apply(left, right), VALUE_BOUND);
        }

        private static long or(Long value, long ifNull) {
            return value == null ? ifNull : value;
        }
    }

    /** Which rows a join keeps. Stream-table joins are inner or left only. */
    enum JoinKind {
        INNER,
        LEFT,
        OUTER
    }

    /** Which Weir call an aggregation is made with. */
    enum Api {
        COUNT,
        REDUCE,
        AGGREGATE
    }

    /**
     * A {@code KGroupedStream} aggregation. The commutative ones give the same result in any order of a group's
     * records; the others depend on the order, so they are only used where that order is defined (see
     * {@link RandomTopologyProperties}).
     */
    enum StreamAggKind {
        COUNT(Api.COUNT, true, 0) {
            @Override
            long step(long aggregate, long value) {
                return aggregate + 1;
            }
        },
        SUM(Api.REDUCE, true, 0) {
            @Override
            long step(long aggregate, long value) {
                return aggregate + value;
            }
        },
        SUM_OF_SQUARES(Api.AGGREGATE, true, 0) {
            @Override
            long step(long aggregate, long value) {
                return aggregate + value * value;
            }
        },
        LATEST(Api.REDUCE, false, 0) {
            @Override
            long step(long aggregate, long value) {
                return value;
            }
        },
        HASH_CHAIN(Api.AGGREGATE, false, 1) {
            @Override
            long step(long aggregate, long value) {
                return (aggregate * 31 + value + 1) % 1_000_003;
            }
        };

        final Api api;
        final boolean commutative;
        /** The initializer's value, for {@link Api#AGGREGATE} (and what a count starts from). */
        final long initial;

        StreamAggKind(Api api, boolean commutative, long initial) {
            this.api = api;
            this.commutative = commutative;
            this.initial = initial;
        }

        /** The aggregator, or the reducer: folds one more value in. */
        abstract long step(long aggregate, long value);
    }

    /**
     * A {@code KGroupedTable} aggregation: an adder and its exact inverse, the subtractor, over positive weights,
     * so that a group's aggregate is the sum over its current rows, is 0 exactly when the group is empty, and does
     * not depend on the order in which rows came and went.
     */
    enum TableAggKind {
        COUNT(Api.COUNT, 1),
        SUM(Api.REDUCE, 1),
        DOUBLE_SUM(Api.AGGREGATE, 2);

        final Api api;
        private final long factor;

        TableAggKind(Api api, long factor) {
            this.api = api;
            this.factor = factor;
        }

        /** What one row of weight {@code weight} adds to its group (count: 1). */
        long contribution(long weight) {
            return api == Api.COUNT ? 1 : factor * weight;
        }

        /** The weight a grouped row carries: always positive, so a non-empty group never sums to 0. */
        static long weight(long value) {
            return value % 97 + 1;
        }
    }
}
