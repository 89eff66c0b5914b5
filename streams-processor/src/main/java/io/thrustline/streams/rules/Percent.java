package io.thrustline.streams.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Asymmetry as the rules report and compare it: one decimal, halves rounded up. */
final class Percent {

    private Percent() {}

    /** (stronger - weaker) / stronger x 100, the unilateral asymmetry of Bishop et al. (2018); 0 when both are 0. */
    static double asymmetry(double a, double b) {
        double stronger = Math.max(a, b);
        if (stronger <= 0) {
            return 0.0;
        }
        return oneDecimal((stronger - Math.min(a, b)) / stronger * 100.0);
    }

    static double oneDecimal(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    static String format(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    /** Kilograms or reps without a trailing ".0". */
    static String amount(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
