package io.thrustline.reporting.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WebhookSecretTest {

    @Test
    void signsExactlyAsTheStandardWebhooksReferenceVectorSays() {
        // The vector published with the Standard Webhooks specification and its reference libraries.
        var secret = new WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signature = secret.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void refusesSecretsAReceiverLibraryCouldNotUse() {
        assertThatThrownBy(() -> new WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> new WebhookSecret("whsec_not base64!")).hasMessageContaining("not base64");
        assertThatThrownBy(() -> new WebhookSecret("whsec_c2hvcnQ=")).hasMessageContaining("holds 5 bytes");
        assertThatThrownBy(() -> new WebhookSecret(null)).hasMessageContaining("whsec_");
    }

    @Test
    void generatedSecretsAreValidAndDistinct() {
        var random = new SecureRandom();
        var first = WebhookSecret.generate(random);
        var second = WebhookSecret.generate(random);
        assertThat(new WebhookSecret(first.text())).isEqualTo(first);
        assertThat(first).isNotEqualTo(second);
        assertThat(first.toString()).doesNotContain(first.text().substring(6));
    }
}
