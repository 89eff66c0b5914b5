package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

    @TempDir
    Path dir;

    @Test
    void everyClientPropertyComesFromItsVariableAndTheBrokerPortsOfTheLocalStackDoNot() {
        var settings = KafkaSettings.fromEnv(Map.of(
                "THRUSTLINE_KAFKA_BOOTSTRAP", "b1:9093,b2:9093",
                "THRUSTLINE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "THRUSTLINE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "THRUSTLINE_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "THRUSTLINE_KAFKA_CLIENT_RACK", "eu-west-1a",
                "THRUSTLINE_KAFKA_PORT", "9092",
                "THRUSTLINE_KAFKA_CONTROLLER_PORT", "9093"));
        assertThat(settings.clientProperties()).containsEntry("bootstrap.servers", "b1:9093,b2:9093")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("client.rack", "eu-west-1a").containsKey("sasl.jaas.config")
                .doesNotContainKeys("port", "controller.port");
        assertThat(settings.toString()).doesNotContain("password=").contains("SASL_SSL");
    }

    @Test
    void aPropertiesFileIsReadAndVariablesWinOverIt() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nsecurity.protocol=SSL\nssl.truststore.location=/etc/kafka/trust.jks\n");
        var settings = KafkaSettings.fromEnv(Map.of("THRUSTLINE_KAFKA_PROPERTIES_FILE", file.toString(),
                "THRUSTLINE_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
        assertThat(settings.clientProperties()).containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("ssl.truststore.location", "/etc/kafka/trust.jks");
        assertThatThrownBy(() -> KafkaSettings.fromEnv(Map.of("THRUSTLINE_KAFKA_PROPERTIES_FILE", dir.resolve("missing").toString())))
                .hasMessageContaining("THRUSTLINE_KAFKA_PROPERTIES_FILE");
    }

    @Test
    void withoutAnythingSetTheLocalBrokerIsUsed() {
        assertThat(KafkaSettings.fromEnv(Map.of()).bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void registryCredentialsAreReadAndCheckedAsPairs() {
        var basic = RegistrySettings.fromEnv(Map.of("THRUSTLINE_REGISTRY_URL", "https://r", "THRUSTLINE_REGISTRY_USERNAME", "svc",
                "THRUSTLINE_REGISTRY_PASSWORD", "pw"));
        assertThat(new RegistryAvroSerdes(basic).clientConfig()).containsEntry("apicurio.registry.auth.username", "svc")
                .containsEntry("apicurio.registry.auth.password", "pw");
        assertThat(basic.toString()).doesNotContain("pw");
        assertThatThrownBy(() -> RegistrySettings.fromEnv(Map.of("THRUSTLINE_REGISTRY_USERNAME", "svc"))).hasMessageContaining("go together");
        var oauth = RegistrySettings.fromEnv(Map.of("THRUSTLINE_REGISTRY_OAUTH_TOKEN_URL", "https://idp/token",
                "THRUSTLINE_REGISTRY_OAUTH_CLIENT_ID", "id", "THRUSTLINE_REGISTRY_OAUTH_CLIENT_SECRET", "s"));
        assertThat(new RegistryAvroSerdes(oauth).clientConfig()).containsEntry("apicurio.registry.auth.service.token.endpoint", "https://idp/token");
        assertThatThrownBy(() -> RegistrySettings.fromEnv(Map.of("THRUSTLINE_REGISTRY_USERNAME", "svc", "THRUSTLINE_REGISTRY_PASSWORD", "pw",
                "THRUSTLINE_REGISTRY_OAUTH_TOKEN_URL", "https://idp/token", "THRUSTLINE_REGISTRY_OAUTH_CLIENT_ID", "id",
                "THRUSTLINE_REGISTRY_OAUTH_CLIENT_SECRET", "s"))).as("one way of signing in").hasMessageContaining("not both");
    }
}
