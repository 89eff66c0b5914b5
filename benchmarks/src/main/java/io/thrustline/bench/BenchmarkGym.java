package io.thrustline.bench;

import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.schemas.Identifiers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A realistic mix of events for benchmarks: athletes training a few sessions each, every session an
 * activation bridge, unilateral hip thrusts and bridges on both legs, a hinge, then SessionCompleted.
 * Deterministic for a given seed.
 */
final class BenchmarkGym {

    private static final Instant FIRST_DAY = Instant.parse("2026-09-01T07:00:00Z");
    private static final List<String> UNILATERAL = List.of("barbell_single_leg_hip_thrust", "single_leg_glute_bridge",
            "weighted_single_leg_hip_thrust");
    private static final List<String> HINGES = List.of("deadlift", "romanian_deadlift", "kettlebell_swing");

    private BenchmarkGym() {}

    static List<TrainingEvent> events(int athletes, int sessionsPerAthlete, long seed) {
        var random = new Random(seed);
        var events = new ArrayList<TrainingEvent>();
        for (int a = 0; a < athletes; a++) {
            String athlete = Identifiers.qualifiedAthlete("bench", "bench-" + a); // source "bench", as streams-processor requires
            for (int s = 0; s < sessionsPerAthlete; s++) {
                String session = athlete + "-s" + s;
                Instant at = FIRST_DAY.plusSeconds(86_400L * (2L * s) + random.nextInt(3600));
                if (random.nextInt(4) > 0) { // most sessions open with activation bridges
                    events.add(set(random, athlete, session, at, "glute_bridge", Side.BOTH, 12, 0));
                    at = at.plusSeconds(120);
                }
                for (String exercise : UNILATERAL.subList(0, 1 + random.nextInt(UNILATERAL.size()))) {
                    double load = exercise.contains("bridge") ? 0 : 20 + 5 * random.nextInt(8);
                    for (int round = 0; round < 3; round++) {
                        for (Side side : List.of(Side.LEFT, Side.RIGHT)) {
                            int reps = 6 + random.nextInt(5);
                            double kg = load == 0 ? 0 : load + (side == Side.RIGHT ? -5 * random.nextInt(2) : 0) + 5 * random.nextInt(2);
                            events.add(set(random, athlete, session, at, exercise, side, reps, kg));
                            at = at.plusSeconds(90);
                        }
                    }
                }
                String hinge = HINGES.get(random.nextInt(HINGES.size()));
                for (int i = 0; i < 3; i++) {
                    events.add(set(random, athlete, session, at, hinge, Side.BOTH, 5, 60 + 10 * i));
                    at = at.plusSeconds(150);
                }
                events.add(TrainingEvent.newBuilder().setEventId(uuid(random)).setAthleteId(athlete).setSource("bench")
                        .setReceivedAt(at).setPayload(SessionCompleted.newBuilder().setSessionId(session).setCompletedAt(at).build())
                        .build());
            }
        }
        return events;
    }

    private static TrainingEvent set(Random random, String athlete, String session, Instant at, String exercise, Side side,
            int reps, double kg) {
        Integer controlled = random.nextInt(5) == 0 ? null : reps - random.nextInt(3);
        var payload = SetLogged.newBuilder().setSessionId(session).setPerformedAt(at).setExercise(exercise).setSide(side)
                .setReps(reps).setLoadKg(kg).setControlledReps(controlled).setRpe(7.0 + random.nextInt(3)).build();
        return TrainingEvent.newBuilder().setEventId(uuid(random)).setAthleteId(athlete).setSource("bench")
                .setReceivedAt(at).setPayload(payload).build();
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
