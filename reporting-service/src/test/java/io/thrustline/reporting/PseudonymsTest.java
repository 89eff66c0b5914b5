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

    /**
     * Exports join across years only if a pseudonym never changes: these are HMAC-SHA256 of "kind:id" under the
     * secret, first 128 bits in hex, worked out outside Java (Python's hmac module).
     */
    @Test
    void pseudonymsAreTheDocumentedHmacAndNeverChange() {
        assertThat(server.athlete("gym-a:ath-1")).isEqualTo("28e331d9e81890bc49f0930fb6150b33");
        assertThat(server.session("gym-a:ath-1", "séance")).isEqualTo("7a59f1d32ac38ebebe7351f00b20c038");
        assertThat(server.event("e-1")).isEqualTo("f24b4e4054f157fc02a5c54a1137f921");
    }

    @Test
    void aStudyNameIsAnIdentifier() {
        assertThatThrownBy(() -> server.forStudy("")).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("x".repeat(65))).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("knee study")).hasMessageContaining("study must be");
    }
}
