package io.weir.bench.broker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians with their spread, for benchmarks that repeat a run: noise on a shared machine stays visible. */
final class Stats {
    private Stats() {}

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** {@code median (min–max)}, each in {@code format}. */
    static String medianAndSpread(List<Double> values, String format) {
        return String.format(
                Locale.ROOT,
                format + " (" + format + "–" + format + ")",
                median(values),
                Collections.min(values),
                Collections.max(values));
    }
}
