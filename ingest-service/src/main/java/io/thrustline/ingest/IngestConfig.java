package io.thrustline.ingest;

import io.thrustline.http.Credentials;
import io.thrustline.http.HttpSettings;
import io.thrustline.schemas.EventTimes;
import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.RegistrySettings;
import java.time.Duration;
import java.util.Map;

/**
 * ingest-service settings; {@link #fromEnv} lists the environment variables and their defaults.
 *
 * @param lateDataHorizon how old a set or completion may be when it arrives
 * @param rememberedEvents how many recently accepted events are remembered to answer 409 to a conflicting re-send
 */
public record IngestConfig(
        HttpSettings http,
        KafkaSettings kafka,
        RegistrySettings registry,
        String apiKeys,
        Duration ackTimeout,
        double setsPerSecondPerIntegration,
        Duration lateDataHorizon,
        int rememberedEvents) {

    /** The largest legal batch (1000 sets, each with 100 rep details and 500 characters of notes) fits easily. */
    static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;

    public static IngestConfig fromEnv(Map<String, String> env) {
        HttpSettings http = HttpSettings.fromEnv(env, "INGEST", 8080, DEFAULT_MAX_BODY_BYTES);
        return new IngestConfig(
                http,
                KafkaSettings.fromEnv(env),
                RegistrySettings.fromEnv(env),
                Credentials.fromEnv(env, ApiKeys.VARIABLE, Credentials.DEMO_INGEST_API_KEYS, http.profile()),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("THRUSTLINE_INGEST_ACK_TIMEOUT_SECONDS", "10"))),
                Double.parseDouble(env.getOrDefault("THRUSTLINE_INGEST_SETS_PER_SECOND", "5000")),
                Duration.ofDays(Long.parseLong(env.getOrDefault("THRUSTLINE_LATE_DATA_DAYS", String.valueOf(EventTimes.DEFAULT_LATE_DATA_DAYS)))),
                Integer.parseInt(env.getOrDefault("THRUSTLINE_INGEST_REMEMBERED_EVENTS", "200000")));
    }

    /** Local-profile settings for tests and benchmarks: the given port, keys, Kafka and limits, defaults for the rest. */
    public static IngestConfig local(int port, String bootstrapServers, String registryUrl, String apiKeys, Duration ackTimeout,
            long maxBodyBytes, double setsPerSecondPerIntegration) {
        return new IngestConfig(HttpSettings.local(port, maxBodyBytes), KafkaSettings.plaintext(bootstrapServers),
                RegistrySettings.open(registryUrl), apiKeys, ackTimeout,
                setsPerSecondPerIntegration, Duration.ofDays(EventTimes.DEFAULT_LATE_DATA_DAYS), 200_000);
    }

    @Override
    public String toString() { // keys stay out of logs
        return "IngestConfig[http=" + http + ", kafka=" + kafka + ", registry=" + registry
                + ", apiKeys=<hidden>, ackTimeout=" + ackTimeout + ", setsPerSecondPerIntegration=" + setsPerSecondPerIntegration
                + ", lateDataHorizon=" + lateDataHorizon + ", rememberedEvents=" + rememberedEvents + "]";
    }
}
