package io.thrustline.ingest.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.ingest.CompletionValidator;
import io.thrustline.ingest.SetValidator;
import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.SetType;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkoutImportTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private final Seeds seeds = Seeds.loadBuiltIn();
    private final WorkoutImport imports = new WorkoutImport(seeds.catalog(),
            new SetValidator(seeds.catalog(), NOW, Duration.ofDays(400), seeds.rules().sessions().maxSpan()),
            new CompletionValidator(NOW, Duration.ofDays(400)));

    @Test
    void theStrongSampleBecomesTwoSessionsAndSaysWhatItLeftOut() throws IOException {
        var outcome = imports.run("strong", sample("strong-export.csv"), "ath-1", "kg", ZoneOffset.UTC, "gym-a");
        assertThat(outcome.sets()).isEqualTo(9);
        assertThat(outcome.sessionIds()).containsExactly("strong-20261117T073000", "strong-20261119T180500");
        assertThat(outcome.skipped()).extracting(Skipped::line).containsExactly(3, 10, 13, 14);
        assertThat(outcome.skipped().get(0).reason()).contains("Rest Timer");
        assertThat(outcome.skipped().get(1).reason()).contains("Plank");
        assertThat(outcome.skipped().get(2).reason()).contains("left").contains("right");
        assertThat(outcome.skipped().get(3).reason()).contains("Bench Press");

        List<SetLogged> sets = sets(outcome.events());
        assertThat(sets.get(1).getExercise()).isEqualTo("barbell_single_leg_hip_thrust");
        assertThat(sets.get(1).getSide()).isEqualTo(Side.LEFT);
        assertThat(sets.get(2).getSide()).isEqualTo(Side.RIGHT);
        assertThat(sets.get(4).getRpe()).isEqualTo(9.5);
        assertThat(sets.get(0).getPerformedAt()).isEqualTo(Instant.parse("2026-11-17T07:30:00Z"));
        assertThat(sets.get(1).getPerformedAt()).isEqualTo(Instant.parse("2026-11-17T07:31:00Z")); // file order, a minute per set row
        assertThat(sets.get(8).getSide()).isEqualTo(Side.LEFT); // from the set's note "left leg"
        assertThat(sets).extracting(SetLogged::getSetType).as("Strong's W row is the Romanian deadlift's warm-up; numbered rows are work")
                .containsExactly(SetType.WORKING, SetType.WORKING, SetType.WORKING, SetType.WORKING, SetType.WORKING, SetType.WARMUP,
                        SetType.WORKING, SetType.WORKING, SetType.WORKING);
        assertThat(sets.get(5).getExercise()).isEqualTo("romanian_deadlift");
        var completions = outcome.events().stream().filter(e -> e.getPayload() instanceof SessionCompleted).toList();
        assertThat(completions).hasSize(2);
        assertThat(outcome.events().get(outcome.events().size() - 1).getPayload()).isInstanceOf(SessionCompleted.class);
    }

    @Test
    void importingTheSameFileTwiceGivesTheSameEventIds() throws IOException {
        var first = imports.run("strong", sample("strong-export.csv"), "ath-1", "kg", ZoneOffset.UTC, "gym-a");
        var second = imports.run("strong", sample("strong-export.csv"), "ath-1", "kg", ZoneOffset.UTC, "gym-a");
        assertThat(second.events()).extracting(TrainingEvent::getEventId).isEqualTo(first.events().stream().map(TrainingEvent::getEventId).toList());
        assertThat(first.events()).extracting(TrainingEvent::getEventId).doesNotHaveDuplicates();
    }

    @Test
    void theHevySampleMapsExercisesSidesAndBodyweight() throws IOException {
        var outcome = imports.run("hevy", sample("hevy-export.csv"), "ath-2", "kg", ZoneId.of("Europe/Berlin"), "gym-a");
        assertThat(outcome.sets()).isEqualTo(6);
        assertThat(outcome.sessionIds()).containsExactly("hevy-20261118T071000");
        assertThat(outcome.skipped()).extracting(Skipped::line).containsExactly(5, 9);
        assertThat(outcome.skipped().get(0).reason()).contains("neither the exercise name nor the notes");
        List<SetLogged> sets = sets(outcome.events());
        assertThat(sets).extracting(SetLogged::getExercise).containsExactly("glute_bridge", "barbell_hip_thrust", "barbell_hip_thrust",
                "weighted_single_leg_hip_thrust", "weighted_single_leg_hip_thrust", "kettlebell_swing");
        assertThat(sets.get(0).getLoadKg()).isZero();
        assertThat(sets).extracting(SetLogged::getSetType).as("Hevy's set_type: the bridge was a warm-up")
                .containsExactly(SetType.WARMUP, SetType.WORKING, SetType.WORKING, SetType.WORKING, SetType.WORKING, SetType.WORKING);
        assertThat(sets.get(0).getPerformedAt()).isEqualTo(Instant.parse("2026-11-18T06:10:00Z")); // 07:10 in Berlin
        var completion = (SessionCompleted) outcome.events().get(outcome.events().size() - 1).getPayload();
        assertThat(completion.getCompletedAt()).isEqualTo(Instant.parse("2026-11-18T07:05:00Z")); // the workout's end time
    }

    @Test
    void olderStrongLayoutsWithPoundsAreConverted() {
        String csv = """
                Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration
                2026-11-10 17:36:18;"Week B";"Hip Thrust (Barbell)";1;135;lbs;10;;;;0;"";;37m
                """;
        var outcome = imports.run("strong", csv, "ath-3", "kg", ZoneOffset.UTC, "gym-a");
        assertThat(sets(outcome.events()).get(0).getLoadKg()).isEqualTo(61.23);
        String comma = """
                Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE
                2026-11-10 17:36:18,"Evening",40m,"Glute Bridge",1,0,12,0,0,"","",
                """;
        assertThat(imports.run("strong", comma, "ath-3", "lbs", ZoneOffset.UTC, "gym-a").sets()).isEqualTo(1);
    }

    @Test
    void everySetMarkerOfBothAppsMapsToASetType() {
        assertThat(List.of("1", "12", "W", "w", "D", "F")).extracting(StrongFormat::setType)
                .containsExactly("WORKING", "WORKING", "WARMUP", "WARMUP", "DROP", "FAILURE");
        assertThat(java.util.Arrays.asList("normal", "warmup", "dropset", "failure", null)).extracting(HevyFormat::setType)
                .containsExactly("WORKING", "WARMUP", "DROP", "FAILURE", "WORKING");
        assertThatThrownBy(() -> HevyFormat.setType("superset")).hasMessageContaining("none of normal, warmup, dropset, failure");
    }

    @Test
    void aFileThatIsNotAnExportIsRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> imports.run("hevy", "a,b,c\n1,2,3\n", "ath-1", "kg", ZoneOffset.UTC, "g"))
                .hasMessageContaining("not a Hevy export").hasMessageContaining("exercise_title");
        assertThatThrownBy(() -> imports.run("strong", sampleUnchecked("hevy-export.csv"), "ath-1", "kg", ZoneOffset.UTC, "g"))
                .hasMessageContaining("not a Strong export");
    }

    @Test
    void csvQuotingIsHonoured() {
        var rows = CsvReader.parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",2,3\n", ',');
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).fields()).containsExactly("a", "b,c", "say \"hi\"");
        assertThat(rows.get(1).fields().get(0)).isEqualTo("multi\nline");
        assertThat(rows.get(1).line()).isEqualTo(2);
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsJustACharacter() {
        // A note like 5" plate used to open a quote that swallowed the separators and the line break after it.
        var rows = CsvReader.parse("\uFEFFExercise,Notes,Reps\nHip thrust,used the 5\" plate,8\n\nBridge,,12\n", ',');
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).fields()).containsExactly("Hip thrust", "used the 5\" plate", "8");
        assertThat(rows.get(0).fields().get(0)).isEqualTo("Exercise");
        assertThat(rows.get(2).fields()).containsExactly("Bridge", "", "12");
        assertThat(rows.get(2).line()).isEqualTo(4);
        assertThatThrownBy(() -> CsvReader.parse("a,\"never closed\n1,2\n", ',')).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the file is not valid CSV");
    }

    private static List<SetLogged> sets(List<TrainingEvent> events) {
        return events.stream().filter(e -> e.getPayload() instanceof SetLogged).map(e -> (SetLogged) e.getPayload()).toList();
    }

    private static String sample(String name) throws IOException {
        try (InputStream in = Seeds.openResource("samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sampleUnchecked(String name) {
        try {
            return sample(name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
