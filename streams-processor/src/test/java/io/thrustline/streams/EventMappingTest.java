package io.thrustline.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.schemas.SessionCompleted;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Side;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.seeds.Seeds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What an event must be, on its own, to be judged: tenancy and times (the rest is covered through the topology). */
class EventMappingTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-21T09:00:00Z");
    private final EventMapping mapping = new EventMapping(Seeds.loadBuiltIn().catalog());

    /**
     * The rules keep their own Side, Severity, SetType and RepDetail (with behaviour, e.g. a side's opposite and
     * whether a set is work), and EventMapping translates by name. This holds the two vocabularies to the same
     * words, so a value added to a schema and not to the rules fails here, not on the first such event.
     */
    @Test
    void theRulesAndTheSchemasNameTheSameSidesSeveritiesSetTypesAndRepDetails() {
        assertThat(names(io.thrustline.streams.rules.Side.values())).isEqualTo(names(io.thrustline.schemas.Side.values()));
        assertThat(names(io.thrustline.streams.rules.Severity.values())).isEqualTo(names(io.thrustline.schemas.Severity.values()));
        assertThat(names(io.thrustline.streams.rules.SetType.values())).isEqualTo(names(io.thrustline.schemas.SetType.values()));
        assertThat(java.util.Arrays.stream(io.thrustline.streams.rules.RepDetail.class.getRecordComponents()).map(c -> c.getName()).toList())
                .isEqualTo(io.thrustline.schemas.RepDetail.getClassSchema().getFields().stream().map(f -> f.name()).toList());
    }

    private static java.util.List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(Enum::name).toList();
    }

    @Test
    void anIntegrationWritesAboutItsOwnQualifiedAthletes() {
        assertThatCode(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-a", RECEIVED))).doesNotThrowAnyException();
        assertThatCode(() -> mapping.check("gym-a:ath:1", set("gym-a:ath:1", "gym-a", RECEIVED))).doesNotThrowAnyException();
    }

    @Test
    void anotherIntegrationsAthleteIsRefused() {
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-b", RECEIVED)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("belongs to integration 'gym-a'").hasMessageContaining("'gym-b'");
    }

    @Test
    void anEventWithoutSourceIsRefused() {
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", null, RECEIVED)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("source is missing");
    }

    @Test
    void anUnqualifiedAthleteIdIsRefused() {
        assertThatThrownBy(() -> mapping.check("ath-1", set("ath-1", "ath-1", RECEIVED)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("athleteId 'ath-1' must be an integration id");
        assertThatThrownBy(() -> mapping.check(":ath-1", set(":ath-1", "", RECEIVED))).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void eventTimesRunFrom2000ToFiveMinutesAfterReceipt() {
        Instant latest = RECEIVED.plus(Duration.ofMinutes(5));
        assertThatCode(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-a", latest))).doesNotThrowAnyException();
        assertThatCode(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-a", Instant.parse("2000-01-01T00:00:00Z"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-a", latest.plusMillis(1))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("performedAt").hasMessageContaining("after the event was received");
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", set("gym-a:ath-1", "gym-a", Instant.parse("1999-12-31T23:59:59Z"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("before 2000-01-01");
    }

    @Test
    void completionTimesAreCheckedToo() {
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", completed(Instant.EPOCH)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("completedAt").hasMessageContaining("before 2000");
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", completed(RECEIVED.plus(Duration.ofHours(1)))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("completedAt");
    }

    @Test
    void anEventIdThatCannotBeAKeyPartIsRefused() {
        var event = TrainingEvent.newBuilder(set("gym-a:ath-1", "gym-a", RECEIVED)).setEventId("a|b").build();
        assertThatThrownBy(() -> mapping.check("gym-a:ath-1", event)).isInstanceOf(InvalidEventException.class).hasMessageContaining("eventId");
    }

    private static TrainingEvent set(String athleteId, String source, Instant performedAt) {
        var payload = SetLogged.newBuilder().setSessionId("s1").setPerformedAt(performedAt).setExercise("deadlift")
                .setSide(Side.BOTH).setReps(5).setLoadKg(100).build();
        return TrainingEvent.newBuilder().setEventId("e1").setAthleteId(athleteId).setSource(source)
                .setReceivedAt(RECEIVED).setPayload(payload).build();
    }

    private static TrainingEvent completed(Instant completedAt) {
        var payload = SessionCompleted.newBuilder().setSessionId("s1").setCompletedAt(completedAt).build();
        return TrainingEvent.newBuilder().setEventId("c1").setAthleteId("gym-a:ath-1").setSource("gym-a")
                .setReceivedAt(RECEIVED).setPayload(payload).build();
    }
}
