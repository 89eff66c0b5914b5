package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys = ApiKeys.parse("gym-a=alpha-secret, gym-b=beta-secret");

    @Test
    void aKnownKeyNamesItsIntegration() {
        assertThat(keys.integrationFor("alpha-secret")).contains("gym-a");
        assertThat(keys.integrationFor("beta-secret")).contains("gym-b");
    }

    @Test
    void unknownEmptyOrNearlyRightKeysAreRefused() {
        assertThat(keys.integrationFor("alpha-secre")).isEmpty();
        assertThat(keys.integrationFor("")).isEmpty();
        assertThat(keys.integrationFor(null)).isEmpty();
        assertThat(keys.integrationFor("gym-a")).isEmpty();
    }

    @Test
    void aMalformedSpecIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> ApiKeys.parse("gym-a=ok,just-a-secret-key"))
                .hasMessageContaining("entry 2")
                .hasMessageNotContaining("just-a-secret-key");
        assertThatThrownBy(() -> ApiKeys.parse(" , ")).hasMessageContaining("no integrationId=key");
    }
}
