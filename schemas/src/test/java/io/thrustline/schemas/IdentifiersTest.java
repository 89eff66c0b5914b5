package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast id checks give the regexes' answer for every string, so the patterns stay the one written contract. */
class IdentifiersTest {

    private static final String ALPHABET = "aZ09._-:|/ é\u0000\t~";

    @Test
    void theFastChecksAgreeWithThePatternsOnAHundredThousandStrings() {
        var random = new Random(7);
        int clientIds = 0;
        int athletes = 0;
        for (int i = 0; i < 100_000; i++) {
            var s = new StringBuilder();
            int length = random.nextInt(100);
            for (int j = 0; j < length; j++) {
                // mostly legal characters, so long legal ids come up as often as broken ones
                s.append(random.nextInt(10) < 8 ? ALPHABET.charAt(random.nextInt(7)) : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String id = s.toString();
            boolean clientId = Identifiers.CLIENT_ID.matcher(id).matches();
            boolean athlete = Identifiers.QUALIFIED_ATHLETE.matcher(id).matches();
            assertThat(Identifiers.isClientId(id)).as(id).isEqualTo(clientId);
            assertThat(Identifiers.isQualifiedAthlete(id)).as(id).isEqualTo(athlete);
            clientIds += clientId ? 1 : 0;
            athletes += athlete ? 1 : 0;
        }
        assertThat(clientIds).as("legal client ids generated").isGreaterThan(5_000);
        assertThat(athletes).as("legal qualified athletes generated").isGreaterThan(500);
        assertThat(Identifiers.isClientId(null)).isFalse();
        assertThat(Identifiers.isQualifiedAthlete(":a")).isFalse();
        assertThat(Identifiers.isQualifiedAthlete("a".repeat(33) + ":a")).isFalse();
        assertThat(Identifiers.isQualifiedAthlete("a".repeat(32) + ":" + "b".repeat(64))).isTrue();
    }
}
