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

    /** An athlete's event id, in the index of first copies. */
    static String event(String athleteId, String eventId) {
        return athleteId + "|" + eventId;
    }

    /** The event id of a key in a session's sets. */
    static String eventOfSessionSet(String setKey) {
        return setKey.substring(setKey.lastIndexOf('|') + 1);
    }

    /** A session's entry in a timer index (inactivity deadlines, expiries): the time first, so a range scan finds what is due. */
    static String timer(long atMillis, String sessionKey) {
        return time(atMillis) + "|" + sessionKey;
    }

    /** Every timer due at or before {@code millis} sorts before this key. */
    static String timersDueBy(long millis) {
        return time(millis) + "|" + END;
    }

    static String sessionOfTimer(String timerKey) {
        return timerKey.substring(timerKey.indexOf('|') + 1);
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
