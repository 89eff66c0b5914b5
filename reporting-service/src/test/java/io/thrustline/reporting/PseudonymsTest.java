package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
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
        assertThat(server.forStudy("knee-2026").athlete("gym-a:ath-1")).isEqualTo("5633fae430184ffc1a728a2a1b7206b1");
        // a secret longer than SHA-256's 64-byte block is hashed first (RFC 2104)
        assertThat(new Pseudonyms("a-secret-longer-than-one-sha256-block-a-secret-longer-than-one-sha256-block-").event("e-1")).isEqualTo("e423a7992aee99529c841f8813c0d2dd");
    }

    /** The precomputed HMAC gives Mac's bytes for any key length, kind and value (multi-byte text, empty, long). */
    @Property(tries = 2000)
    void theKeyedHashIsHmacSha256(@ForAll @Size(min = 1, max = 200) byte[] key, @ForAll("kinds") String kind, @ForAll String value)
            throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
        assertThat(new Pseudonyms.KeyedHash(key).digest(kind.getBytes(StandardCharsets.US_ASCII), value.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(expected);
    }

    /** An export's memo gives the same pseudonyms as the HMAC, and forgets rather than grows past its bound. */
    @Test
    void anExportsAthleteMemoIsTheHmacAndStaysBounded() {
        var athletes = new ResearchExport.AthletePseudonyms(server);
        assertThat(athletes.of("gym-a:ath-1")).isEqualTo(server.athlete("gym-a:ath-1"));
        for (int i = 0; i <= ResearchExport.AthletePseudonyms.REMEMBERED; i++) {
            athletes.of("gym-a:ath-" + i);
        }
        assertThat(athletes.remembered()).isBetween(1, ResearchExport.AthletePseudonyms.REMEMBERED);
        assertThat(athletes.of("gym-a:ath-1")).isEqualTo(server.athlete("gym-a:ath-1"));
        assertThat(athletes.of("gym-b:ath-1")).isEqualTo(server.athlete("gym-b:ath-1")).isNotEqualTo(athletes.of("gym-a:ath-1"));
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of("athlete", "session", "event", "insight", "study");
    }

    @Test
    void aStudyNameIsAnIdentifier() {
        assertThatThrownBy(() -> server.forStudy("")).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("x".repeat(65))).hasMessageContaining("study must be");
        assertThatThrownBy(() -> server.forStudy("knee study")).hasMessageContaining("study must be");
    }
}
