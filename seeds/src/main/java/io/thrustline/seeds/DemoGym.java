package io.thrustline.seeds;

import java.util.List;

/** The simulated gym behind {@code ./thrustline demo}: sessions to send and the insights each must produce. */
public record DemoGym(String about, String integration, List<Session> sessions) {

    public static final String FILE = "demo-gym.json";

    public DemoGym {
        sessions = List.copyOf(sessions);
    }

    public static DemoGym load() {
        return Seeds.readWithOptionals(Seeds::openResource, FILE, DemoGym.class);
    }

    /** One session; {@code start} is a local time of day ("07:30"), {@code daysAgo} counts back from today (UTC). */
    public record Session(String athleteId, String label, int daysAgo, String start, List<DemoSet> sets, List<Expected> expect) {
        public Session {
            sets = List.copyOf(sets);
            expect = List.copyOf(expect);
        }
    }

    /** A set performed {@code minute} minutes after the session start. Optional fields may be null. */
    /** @param setType the set API's setType (WARMUP, DROP, FAILURE); absent for a working set */
    public record DemoSet(int minute, String exercise, String side, int reps, double loadKg, Integer controlledReps, String setType) {}

    /** An insight the session must produce. */
    public record Expected(String rule, String exercise) {}
}
