package io.thrustline.bench;

import java.util.ArrayList;
import java.util.List;

/** Summary of a benchmark's per-round ratios: median (mean of the middle two for an even count) and range. */
final class Ratios {

    private Ratios() {}

    static String summary(List<Double> ratios) {
        var sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format("median %.2f, range %.2f-%.2f over %d rounds", median, sorted.get(0), sorted.get(n - 1), n);
    }
}
