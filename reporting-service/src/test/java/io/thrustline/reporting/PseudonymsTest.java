package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Pseudonyms are stable per key, differ between studies, and cannot be produced without the server's secret. */
class PseudonymsTest {

    private static final String SECRET = "a-server-secret-of-enough-length";
    private final Pseudonyms server = new Pseudonyms(SECRET);

    @Test
    void eachStudyHasItsOwnStablePseudonyms() {
        Pseudonyms knee = server.forStudy("knee-2026");
        Pseudonyms hips = server.forStudy("hips-2027");
        assertThat(knee.athlete("gym-a:ath-1")).isEqualTo(server.forStudy("knee-2026").athlete("gym-a:ath-1"))
                .isNotEqualTo(hips.athlete("gym-a:ath-1"))
                .isNotEqualTo(server.athlete("gym-a:ath-1"))
                .hasSize(32);
        assertThat(knee.session("gym-a:ath-1", "s1")).isNotEqualTo(hips.session("gym-a:ath-1", "s1"));
        assertThat(knee.event("e1")).isNotEqualTo(hips.event("e1"));
    }

    @Test
    void aStudysKeysDependOnTheServerSecret() {
        assertThat(new Pseudonyms("another-secret-of-enough-length").forStudy("knee-2026").athlete("gym-a:ath-1"))
                .isNotEqualTo(server.forStudy("knee-2026").athlete("gym-a:ath-1"));
    }

    @Test
    void rememberedNamesAreTheSameNamesEvenAfterTheOldestAreForgotten() {
        Pseudonyms.Remembered names = server.remembered();
        // 10,000 athletes, each seen twice far apart: past the 4,096 remembered, so forgotten ones are worked out again.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 10_000; i++) {
                String athlete = "gym-a:ath-" + i;
                assertThat(names.athlete(athlete)).isEqualTo(server.athlete(athlete));
                assertThat(names.session(athlete, "s" + (i % 7))).isEqualTo(server.session(athlete, "s" + (i % 7)));
            }
        }
        // A session is still named with its athlete: the same session id under two athletes is two sessions.
        assertThat(names.session("gym-a:ath-1", "s1")).isNotEqualTo(names.session("gym-a:ath-2", "s1"));
        assertThat(names.event("e-1")).isEqualTo(server.event("e-1"));
    }

    @Test
    void aStudyNameIsAnIdentifier() {
        assertThatThrownBy(() -> server.forStudy("")).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("x".repeat(65))).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("knee study")).hasMessageContaining("study must be");
    }
}
