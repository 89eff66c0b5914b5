package io.thrustline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void onlyTheLocalProfileFallsBackOnDemoCredentials() {
        assertThat(Credentials.fromEnv(Map.of(), "THRUSTLINE_X", "demo-value", Profile.LOCAL)).isEqualTo("demo-value");
        assertThatThrownBy(() -> Credentials.fromEnv(Map.of(), "THRUSTLINE_X", "demo-value", Profile.PRODUCTION))
                .hasMessageContaining("THRUSTLINE_X is not set");
        assertThat(Credentials.fromEnv(Map.of("THRUSTLINE_X", "own"), "THRUSTLINE_X", "demo-value", Profile.PRODUCTION)).isEqualTo("own");
    }

    @Test
    void outsideTheLocalProfileDemoAndShortSecretsAreRefusedWithoutNamingThem() {
        assertThatThrownBy(() -> Credentials.check(Profile.PRODUCTION, "V", "entry 1", Credentials.DEMO_EXPORT_SECRET))
                .hasMessageContaining("demo").hasMessageNotContaining(Credentials.DEMO_EXPORT_SECRET);
        assertThatThrownBy(() -> Credentials.check(Profile.PRODUCTION, "V", "entry 1", "s".repeat(Credentials.MIN_LENGTH - 1)))
                .hasMessageContaining("shorter than 24").hasMessageNotContaining("sss");
        Credentials.check(Profile.PRODUCTION, "V", "entry 1", "s".repeat(Credentials.MIN_LENGTH));
        Credentials.check(Profile.LOCAL, "V", "entry 1", "demo-key");
    }

    @Test
    void theProfileIsLocalOnlyWhenSaidSo() {
        assertThat(Profile.fromEnv(Map.of())).isEqualTo(Profile.PRODUCTION);
        assertThat(Profile.fromEnv(Map.of("THRUSTLINE_PROFILE", "local"))).isEqualTo(Profile.LOCAL);
        assertThatThrownBy(() -> Profile.fromEnv(Map.of("THRUSTLINE_PROFILE", "dev"))).hasMessageContaining("'local'");
    }
}
