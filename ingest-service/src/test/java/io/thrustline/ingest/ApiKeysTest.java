package io.thrustline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thrustline.http.Profile;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys = ApiKeys.parse("gym-a=alpha-secret, gym-b=beta-secret", Profile.LOCAL);

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
        assertThatThrownBy(() -> ApiKeys.parse("gym-a=ok,just-a-secret-key", Profile.LOCAL))
                .hasMessageContaining("entry 2")
                .hasMessageNotContaining("just-a-secret-key");
        assertThatThrownBy(() -> ApiKeys.parse(" , ", Profile.LOCAL)).hasMessageContaining("no integrationId=key");
    }

    @Test
    void outsideTheLocalProfileDemoAndShortKeysStopTheService() {
        assertThatThrownBy(() -> ApiKeys.parse("demo-gym=demo-key", Profile.PRODUCTION))
                .hasMessageContaining("demo").hasMessageContaining("THRUSTLINE_PROFILE=local");
        assertThatThrownBy(() -> ApiKeys.parse("gym-a=" + "k".repeat(23), Profile.PRODUCTION))
                .hasMessageContaining("shorter than 24").hasMessageNotContaining("kkkk");
        assertThat(ApiKeys.parse("gym-a=" + "k".repeat(24), Profile.PRODUCTION).integrationFor("k".repeat(24))).contains("gym-a");
        assertThat(ApiKeys.parse("demo-gym=demo-key", Profile.LOCAL).integrationFor("demo-key")).contains("demo-gym");
    }

    @Test
    void integrationIdsCannotHoldTheSeparatorOfQualifiedAthleteIds() {
        assertThatThrownBy(() -> ApiKeys.parse("gym:a=alpha-secret", Profile.LOCAL)).hasMessageContaining("entry 1");
    }
}
