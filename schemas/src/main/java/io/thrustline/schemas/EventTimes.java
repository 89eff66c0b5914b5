package io.thrustline.schemas;

import java.time.Duration;
import java.time.Instant;

/** Which event times (performedAt, completedAt) are accepted, everywhere they are checked. */
public final class EventTimes {

    /** Nothing was logged by a connected gym before this; earlier times are typos or attacks. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** How far ahead of our clock a device clock may run. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** How old an event may be when it arrives: a year of another app's history can still be imported. */
    public static final int DEFAULT_LATE_DATA_DAYS = 400;

    private EventTimes() {}

    /** Null when {@code at} is acceptable at {@code now}; otherwise why not, in words for the sender. */
    public static String problemWith(Instant at, Instant now, Duration lateDataHorizon) {
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            return "is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future; check the device clock";
        }
        if (at.isBefore(EARLIEST)) {
            return "is before " + EARLIEST + "; check the device clock";
        }
        if (at.isBefore(now.minus(lateDataHorizon))) {
            return "is more than " + lateDataHorizon.toDays() + " days old, beyond the late-data horizon";
        }
        return null;
    }
}
