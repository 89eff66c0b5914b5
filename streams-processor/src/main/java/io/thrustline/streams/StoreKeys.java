package io.thrustline.streams;

import java.time.Instant;

/**
 * Keys of the state stores. Parts are joined with '|', which ids may not contain; times are fixed-width
 * digits so that RocksDB's byte order is time order, and '~' sorts after every character an id may hold,
 * so {@code prefix + "~"} closes a range.
 */
final class StoreKeys {

    static final String END = "~";
    private static final long EPOCH_SHIFT = 100_000_000_000_000L; // keeps times before 1970 positive

    private StoreKeys() {}

    static String session(String athleteId, String sessionId) {
        return athleteId + "|" + sessionId;
    }

    static String sessionSet(String sessionKey, String eventId) {
        return sessionKey + "|" + eventId;
    }

    static String setsOf(String sessionKey) {
        return sessionKey + "|";
    }

    static String deadline(long atMillis, String sessionKey) {
        return time(atMillis) + "|" + sessionKey;
    }

    static String sessionOfDeadline(String deadlineKey) {
        return deadlineKey.substring(deadlineKey.indexOf('|') + 1);
    }

    static String loadHistory(String athleteId, String exercise, String side) {
        return athleteId + "|" + exercise + "|" + side;
    }

    static String balanceHistoryOf(String athleteId, String exercise) {
        return athleteId + "|" + exercise + "|";
    }

    static String time(Instant at) {
        return time(at.toEpochMilli());
    }

    static String time(long millis) {
        String digits = Long.toString(millis + EPOCH_SHIFT);
        return "0".repeat(Math.max(0, 16 - digits.length())) + digits; // String.format is far slower on this hot path
    }
}
