package io.thrustline.streams;

import static io.thrustline.streams.TopologyHarness.completed;
import static io.thrustline.streams.TopologyHarness.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Devices sync late, out of order and twice. Whatever order a session's events arrive in, and however many
 * times each arrives, the insights left standing and the balances stored are the same.
 */
class ArrivalOrderPropertyTest {

    private static final List<String> EXERCISES = List.of("barbell_single_leg_hip_thrust", "single_leg_glute_bridge",
            "glute_bridge", "weighted_glute_bridge", "deadlift", "kettlebell_swing", "barbell_hip_thrust");

    @Property(tries = 40)
    void permutingArrivalNeverChangesTheResults(@ForAll("sessions") List<TrainingEvent> sets, @ForAll long seed) {
        var shuffled = new ArrayList<>(sets);
        Collections.shuffle(shuffled, new Random(seed));
        List<String> expected = outcome(sets);
        assertThat(outcome(shuffled)).isEqualTo(expected);
        coverage(expected);
    }

    @Property(tries = 40)
    void duplicatesNeverChangeTheResults(@ForAll("sessions") List<TrainingEvent> sets, @ForAll long seed) {
        var random = new Random(seed);
        var withRepeats = new ArrayList<>(sets);
        sets.stream().filter(e -> random.nextBoolean()).forEach(withRepeats::add);
        Collections.shuffle(withRepeats, random);
        List<String> expected = outcome(sets);
        assertThat(outcome(withRepeats)).isEqualTo(expected);
        coverage(expected);
    }

    /**
     * The property says nothing if the generated sessions never raise anything: count how often insights stand and
     * which rules fire, and fail the run unless a good share of tries raised some.
     */
    private static void coverage(List<String> outcome) {
        List<String> rules = outcome.stream().filter(line -> line.startsWith("insight ")).map(line -> line.split(" ")[2]).distinct().toList();
        Statistics.label("raised an insight").collect(!rules.isEmpty());
        Statistics.label("raised an insight").coverage(check -> check.check(true).percentage(p -> p >= 30));
        rules.forEach(rule -> Statistics.label("rules").collect(rule));
    }

    /** Sends the sets, then completes the session, and returns what a consumer would have stored. */
    private static List<String> outcome(List<TrainingEvent> sets) {
        try (var t = new TopologyHarness()) {
            t.sendAll(sets);
            t.send(completed("done", "gym-a:ath", "s1", 500));
            var result = new ArrayList<String>();
            t.standingInsights().values().forEach(i -> result.add("insight " + i.getInsightId() + " " + i.getRule() + " " + i.getSeverity()
                    + " " + i.getSide() + " " + i.getMetrics() + " " + i.getMessage()));
            t.latestBalances().forEach((key, b) -> result.add(key + " " + b));
            Collections.sort(result);
            return result;
        }
    }

    @Provide
    Arbitrary<List<TrainingEvent>> sessions() {
        Arbitrary<int[]> set = Combinators.combine(
                Arbitraries.integers().between(0, EXERCISES.size() - 1),
                Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(1, 12),
                Arbitraries.of(0, 20, 30, 40, 50),
                Arbitraries.integers().between(-1, 12)).as((ex, side, reps, kg, controlled) -> new int[] {ex, side, reps, kg, controlled});
        return set.list().ofMinSize(1).ofMaxSize(14).map(specs -> {
            var events = new ArrayList<TrainingEvent>();
            for (int i = 0; i < specs.size(); i++) {
                int[] s = specs.get(i);
                String exercise = EXERCISES.get(s[0]);
                boolean unilateral = exercise.startsWith("barbell_single") || exercise.startsWith("single_leg");
                Side side = unilateral ? (s[1] == 0 ? Side.LEFT : Side.RIGHT) : Side.BOTH;
                Integer controlled = s[4] < 0 ? null : Math.min(s[4], s[2]);
                double kg = exercise.equals("glute_bridge") || exercise.equals("single_leg_glute_bridge") ? 0 : s[3];
                events.add(set("e" + i, "gym-a:ath", "s1", i * 3, exercise, side, s[2], kg, controlled, null));
            }
            return events;
        });
    }
}
