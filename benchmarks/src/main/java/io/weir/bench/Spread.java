package io.weir.bench;

import java.util.Arrays;
import java.util.Locale;

/** How repeated runs are quoted: the median and the range, {@code median (min–max)}. */
public final class Spread {
    private Spread() {}

    /** {@code median (min–max)} of {@code values}, each printed with {@code format}. */
    public static String of(double[] values, String format) {
        if (values.length == 0) {
            throw new IllegalArgumentException("No values to summarise");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, v[0], v[v.length - 1]);
    }
}
