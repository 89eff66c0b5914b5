package io.thrustline.streams.rules;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The athlete's own usual asymmetry for an exercise: the median of their earlier sessions with enough evidence. A
 * median, because one odd session (a niggle, a new variation) should not move what is usual for them.
 */
final class Baseline {

    private Baseline() {}

    static OptionalDouble of(List<PriorBalance> earlier) {
        if (earlier.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] pcts = earlier.stream().mapToDouble(PriorBalance::asymmetryPct).sorted().toArray();
        int mid = pcts.length / 2;
        double median = pcts.length % 2 == 1 ? pcts[mid] : (pcts[mid - 1] + pcts[mid]) / 2;
        return OptionalDouble.of(Percent.oneDecimal(median));
    }

    /** A sentence for the message saying what is usual for the athlete; empty when nothing is known yet. */
    static String sentence(OptionalDouble baseline, int sessions) {
        if (baseline.isEmpty()) {
            return "";
        }
        return " Usual for this athlete: " + Percent.format(baseline.getAsDouble()) + "% (the median of their last " + sessions
                + (sessions == 1 ? " session" : " sessions") + " of it with enough sets).";
    }
}
