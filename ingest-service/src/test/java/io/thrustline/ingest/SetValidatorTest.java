package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.SetType;
import io.thrustline.schemas.Side;
import io.thrustline.seeds.Seeds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SetValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration HORIZON = Duration.ofDays(400);
    private final SetValidator validator = new SetValidator(Seeds.loadBuiltIn().catalog(), Clock.fixed(NOW, ZoneOffset.UTC),
            HORIZON, Duration.ofHours(12));

    private static final String VALID = """
            {"eventId": "7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f", "athleteId": "ath-042", "sessionId": "2026-11-21-ath-042-am",
             "performedAt": "2026-11-21T09:14:05Z", "exercise": "barbell_single_leg_hip_thrust", "side": "LEFT",
             "reps": 2, "loadKg": 40.0, "controlledReps": 2,
             "repDetails": [{"eccentricSeconds": 2.5, "topHoldSeconds": 1.0, "pelvisLevel": true}, {"eccentricSeconds": 2.0}],
             "rpe": 8, "notes": "bar padded"}
            """;

    @Test
    void theSpecExampleBecomesAnEvent() {
        ValidationResult result = validator.validate(json(VALID), "gym-a");
        assertThat(result.errors()).isEmpty();
        var event = result.events().get(0);
        assertThat(event.getEventId()).isEqualTo("7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f");
        assertThat(event.getSource()).isEqualTo("gym-a");
        assertThat(event.getAthleteId()).as("the athlete belongs to the integration that sent it").isEqualTo("gym-a:ath-042");
        assertThat(event.getReceivedAt()).isEqualTo(NOW);
        var set = (SetLogged) event.getPayload();
        assertThat(set.getSide()).isEqualTo(Side.LEFT);
        assertThat(set.getPerformedAt()).isEqualTo(Instant.parse("2026-11-21T09:14:05Z"));
        assertThat(set.getRepDetails()).hasSize(2);
        assertThat(set.getRepDetails().get(1).getPelvisLevel()).isNull();
        assertThat(set.getRpe()).isEqualTo(8.0);
    }

    @Test
    void aSetIsWorkUnlessItSaysOtherwiseAndOnlyKnownTypesAreAccepted() {
        assertThat(((SetLogged) validator.validate(json(VALID), "gym-a").events().get(0).getPayload()).getSetType()).isEqualTo(SetType.WORKING);
        String warmUp = VALID.replace("\"rpe\": 8", "\"rpe\": 8, \"setType\": \"WARMUP\"");
        assertThat(((SetLogged) validator.validate(json(warmUp), "gym-a").events().get(0).getPayload()).getSetType()).isEqualTo(SetType.WARMUP);
        var wrong = validator.validate(json(VALID.replace("\"rpe\": 8", "\"rpe\": 8, \"setType\": \"warmup\"")), "gym-a");
        assertThat(wrong.events()).isEmpty();
        assertThat(wrong.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).endsWith("setType");
            assertThat(e.message()).contains("WORKING, WARMUP, DROP or FAILURE");
        });
    }

    @Test
    void aBatchIsAcceptedWhole() {
        String second = VALID.replace("7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f", "11111111-2222-3333-4444-555555555555").replace("LEFT", "RIGHT");
        assertThat(validator.validate(json("{\"sets\": [" + VALID + "," + second + "]}"), "gym-a").events()).hasSize(2);
    }

    @Test
    void everyProblemOfEverySetIsReportedAndNothingIsAccepted() {
        String bad = """
                {"eventId": "nope", "athleteId": "ath 042", "sessionId": "", "performedAt": "yesterday",
                 "exercise": "hip_thruster", "reps": 0, "loadKg": -1, "rpe": 11, "notes": 5, "colour": "red"}
                """;
        ValidationResult result = validator.validate(json("{\"sets\": [" + VALID + "," + bad + "]}"), "gym-a");
        assertThat(result.events()).isEmpty();
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.index()).isEqualTo(1));
        assertThat(result.errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "colour", "eventId", "athleteId", "sessionId", "performedAt", "exercise", "reps", "loadKg", "rpe", "notes");
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    @Test
    void sideMustMatchTheExercise() {
        assertThat(fields(VALID.replace("\"side\": \"LEFT\",", ""))).containsExactly("side");
        assertThat(fields(VALID.replace("\"side\": \"LEFT\"", "\"side\": \"BOTH\""))).containsExactly("side");
        String bilateral = VALID.replace("barbell_single_leg_hip_thrust", "barbell_hip_thrust");
        assertThat(fields(bilateral)).containsExactly("side");
        assertThat(fields(bilateral.replace("\"side\": \"LEFT\",", ""))).isEmpty();
        assertThat(fields(bilateral.replace("\"side\": \"LEFT\"", "\"side\": \"BOTH\""))).isEmpty();
    }

    @Test
    void sideIsOneOfThreeWordsInCapitals() {
        for (String side : new String[] {"\"left\"", "\"MIDDLE\"", "\"\"", "1", "true", "[\"LEFT\"]"}) {
            assertThat(fields(VALID.replace("\"side\": \"LEFT\"", "\"side\": " + side))).as(side).containsExactly("side");
        }
        assertThat(fields(VALID.replace("\"side\": \"LEFT\"", "\"side\": \"RIGHT\""))).isEmpty();
    }

    @Test
    void numbersAreCheckedForRangeAndType() {
        assertThat(fields(VALID.replace("\"reps\": 2", "\"reps\": 2.5"))).contains("reps");
        assertThat(fields(VALID.replace("\"reps\": 2", "\"reps\": \"2\""))).contains("reps");
        assertThat(fields(VALID.replace("\"loadKg\": 40.0", "\"loadKg\": 500.5"))).containsExactly("loadKg");
        assertThat(fields(VALID.replace("\"loadKg\": 40.0", "\"loadKg\": 1e400"))).containsExactly("loadKg");
        assertThat(fields(VALID.replace("\"loadKg\": 40.0", "\"loadKg\": 0"))).isEmpty();
        assertThat(fields(VALID.replace("\"controlledReps\": 2", "\"controlledReps\": 3"))).containsExactly("controlledReps");
    }

    @Test
    void repDetailsNeedOneEntryPerRepAndKnownFields() {
        assertThat(fields(VALID.replace("\"reps\": 2", "\"reps\": 3").replace("\"controlledReps\": 2", "\"controlledReps\": 3")))
                .containsExactly("repDetails");
        assertThat(fields(VALID.replace("{\"eccentricSeconds\": 2.0}", "{\"eccentricSeconds\": 2.0, \"wobble\": 1}")))
                .containsExactly("repDetails[1].wobble");
        assertThat(fields(VALID.replace("\"pelvisLevel\": true", "\"pelvisLevel\": \"yes\""))).containsExactly("repDetails[0].pelvisLevel");
    }

    @Test
    void timestampsNeedAnOffsetAndMayNotBeFarInTheFuture() {
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "2026-11-21T09:14:05"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "2026-11-21T10:06:00Z"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "2026-11-21T10:04:00Z"))).isEmpty();
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "2026-11-21T11:04:00+01:00"))).isEmpty();
    }

    @Test
    void batchShapeIsChecked() {
        assertThat(validator.validate(json("{\"sets\": []}"), "g").errors()).extracting(FieldError::field).containsExactly("sets");
        assertThat(validator.validate(json("[1, 2]"), "g").errors()).hasSize(1);
        assertThat(validator.validate(json("{\"sets\": [" + VALID + "], \"extra\": 1}"), "g").errors()).hasSize(1);
        String tooMany = "{\"sets\": [" + String.join(",", java.util.Collections.nCopies(1001, VALID)) + "]}";
        assertThat(validator.validate(json(tooMany), "g").errors()).extracting(FieldError::field).containsExactly("sets");
    }

    @Test
    void unknownExerciseIsNamed() {
        ValidationResult result = validator.validate(json(VALID.replace("barbell_single_leg_hip_thrust", "zercher_squat")), "g");
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("exercise");
            assertThat(e.message()).contains("zercher_squat").contains("/v1/exercises");
        });
    }

    @Test
    void controlCharactersAreRefusedExceptTabAndLineFeedInNotes() {
        assertThat(fields(VALID.replace("bar padded", "x\\u0000y"))).containsExactly("notes");
        assertThat(fields(VALID.replace("bar padded", "x\\u001by"))).containsExactly("notes");
        assertThat(fields(VALID.replace("bar padded", "x\\ud800y"))).as("a lone surrogate").containsExactly("notes");
        assertThat(fields(VALID.replace("bar padded", "line one\\nline two\\tend"))).isEmpty();
    }

    @Test
    void timesOutsideTheAcceptedWindowAreRefusedWithoutOverflowing() {
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "1999-12-31T23:59:59Z"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "0000-06-15T12:00:00Z"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "-999999999-01-01T00:00:00Z"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", "+999999999-12-31T23:59:59Z"))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", NOW.minus(HORIZON).minusSeconds(60).toString()))).containsExactly("performedAt");
        assertThat(fields(VALID.replace("2026-11-21T09:14:05Z", NOW.minus(HORIZON).plusSeconds(60).toString()))).isEmpty();
    }

    @Test
    void aSessionInOneRequestMaySpanTwelveHoursAndNoMore() {
        String later = VALID.replace("7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f", "11111111-2222-3333-4444-555555555555");
        String within = later.replace("2026-11-21T09:14:05Z", "2026-11-20T21:14:05Z");
        assertThat(validator.validate(json("{\"sets\": [" + VALID + "," + within + "]}"), "g").isValid()).isTrue();
        String beyond = later.replace("2026-11-21T09:14:05Z", "2026-11-20T21:14:04Z");
        var result = validator.validate(json("{\"sets\": [" + VALID + "," + beyond + "]}"), "g");
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.index()).isZero(); // the later set lies beyond the span of the earliest
            assertThat(e.field()).isEqualTo("performedAt");
            assertThat(e.message()).contains("12 hours");
        });
        String otherSession = beyond.replace("2026-11-21-ath-042-am", "2026-11-20-ath-042-pm");
        assertThat(validator.validate(json("{\"sets\": [" + VALID + "," + otherSession + "]}"), "g").isValid()).isTrue();
    }

    @Test
    void errorsAreCappedAtAHundredWithTheirCount() {
        var unknown = new StringBuilder("{");
        for (int i = 0; i < 5000; i++) {
            unknown.append("\"f").append(i).append("\": 1,");
        }
        String set = unknown + VALID.substring(VALID.indexOf('{') + 1);
        ValidationResult result = validator.validate(json(set), "g");
        assertThat(result.errors()).hasSize(100);
        assertThat(result.errorCount()).isEqualTo(5000);
    }

    @Test
    void echoedInputIsTruncatedAndHugeRepDetailsAreReportedOnce() {
        String longName = "x".repeat(5_000_000);
        long began = System.nanoTime();
        ValidationResult result = validator.validate(json(VALID.replace("barbell_single_leg_hip_thrust", longName)), "g");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("no close-match search over a 5 MB name").isLessThan(Duration.ofSeconds(5));
        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message().length()).isLessThan(300));
        String details = "[" + String.join(",", java.util.Collections.nCopies(200_000, "{\"eccentricSeconds\": \"no\"}")) + "]";
        ValidationResult many = validator.validate(json(VALID.replaceFirst("\\[\\{.*?\\}\\]", java.util.regex.Matcher.quoteReplacement(details))), "g");
        assertThat(many.errorCount()).isEqualTo(1);
        assertThat(many.errors().get(0).field()).isEqualTo("repDetails");
    }

    private java.util.List<String> fields(String set) {
        return validator.validate(json(set), "g").errors().stream().map(FieldError::field).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
