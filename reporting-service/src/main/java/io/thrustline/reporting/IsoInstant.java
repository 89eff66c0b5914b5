package io.thrustline.reporting;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Appends an instant exactly as {@link Instant#toString()} writes it, without the formatter, for years 1000 to
 * 9999; any other is left to the caller (a year past 9999 starts with '+', which a CSV cell must defuse). {@code Instant.toString} was 9 % of the CSV export's CPU in a profile
 * of {@code ./thrustline bench reporting}, with two or three timestamps on every row; a property test holds the
 * two to the same text.
 */
final class IsoInstant {

    private IsoInstant() {
    }

    /** @return false, having appended nothing, for a year outside 1000-9999 */
    static boolean append(StringBuilder out, Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            return false;
        }
        out.append(year).append('-');
        twoDigits(out, t.getMonthValue()).append('-');
        twoDigits(out, t.getDayOfMonth()).append('T');
        twoDigits(out, t.getHour()).append(':');
        twoDigits(out, t.getMinute()).append(':');
        twoDigits(out, t.getSecond());
        int nanos = instant.getNano();
        if (nanos != 0) {
            // As ISO_INSTANT: milliseconds, microseconds or nanoseconds, whichever is the shortest exact one.
            int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
            int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
            out.append('.');
            String text = Integer.toString(value);
            for (int pad = text.length(); pad < digits; pad++) {
                out.append('0');
            }
            out.append(text);
        }
        out.append('Z');
        return true;
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
