package io.thrustline.streams.sessions;

/**
 * Keys of the session tracker's stores. Parts are joined with '|', which ids may not contain; times are
 * fixed-width digits so that RocksDB's byte order is time order, and '~' sorts after every character an id may
 * hold, so {@code prefix + "~"} closes a range.
 */
public final class StoreKeys {

    static final String END = "~";
    private static final long EPOCH_SHIFT = 100_000_000_000_000L; // keeps times before 1970 positive

    private StoreKeys() {}

    /** A session: its athlete first, so one athlete's keys sit together and in one partition's store. */
    public static String session(String athleteId, String sessionId) {
        return athleteId + "|" + sessionId;
    }

    static String athleteOf(String sessionKey) {
        return sessionKey.substring(0, sessionKey.indexOf('|'));
    }

    static String sessionIdOf(String sessionKey) {
        return sessionKey.substring(sessionKey.indexOf('|') + 1);
    }

    /** A session's entry in the timer index: its kind, then the time, so one range scan finds what is due. */
    static String timer(SessionTimer.Kind kind, long atMillis, String sessionKey) {
        return prefix(kind) + time(atMillis) + "|" + sessionKey;
    }

    static String timersFrom(SessionTimer.Kind kind) {
        return prefix(kind);
    }

    /** Every timer of the kind due at or before {@code millis} sorts before this key. */
    static String timersDueBy(SessionTimer.Kind kind, long millis) {
        return prefix(kind) + time(millis) + "|" + END;
    }

    static String sessionOfTimer(String timerKey) {
        return timerKey.substring(timerKey.indexOf('|') + 1);
    }

    private static String prefix(SessionTimer.Kind kind) {
        return kind == SessionTimer.Kind.INACTIVITY ? "close@" : "forget@";
    }

    static String time(long millis) {
        String digits = Long.toString(millis + EPOCH_SHIFT);
        return "0".repeat(Math.max(0, 16 - digits.length())) + digits; // String.format is far slower on this hot path
    }
}
