package io.thrustline.ingest;

import java.time.Duration;
import java.util.Map;

/** ingest-service settings; {@link #fromEnv} lists the environment variables and their local defaults. */
public record IngestConfig(
        int port,
        String bootstrapServers,
        String registryUrl,
        String apiKeys,
        Duration ackTimeout,
        long maxBodyBytes,
        double setsPerSecondPerIntegration,
        Duration idleTimeout) {

    public static IngestConfig fromEnv(Map<String, String> env) {
        return new IngestConfig(
                Integer.parseInt(env.getOrDefault("THRUSTLINE_INGEST_PORT", "8080")),
                env.getOrDefault("THRUSTLINE_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.getOrDefault("THRUSTLINE_REGISTRY_URL", "http://localhost:8085"),
                env.getOrDefault("THRUSTLINE_INGEST_API_KEYS", "demo-gym=demo-key"),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("THRUSTLINE_INGEST_ACK_TIMEOUT_SECONDS", "10"))),
                // The largest legal batch (1000 sets, each with 100 rep details and 500-character notes) fits easily.
                Long.parseLong(env.getOrDefault("THRUSTLINE_INGEST_MAX_BODY_BYTES", String.valueOf(16L * 1024 * 1024))),
                Double.parseDouble(env.getOrDefault("THRUSTLINE_INGEST_SETS_PER_SECOND", "5000")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("THRUSTLINE_INGEST_IDLE_TIMEOUT_SECONDS", "30"))));
    }

    @Override
    public String toString() { // keys stay out of logs
        return "IngestConfig[port=" + port + ", bootstrapServers=" + bootstrapServers + ", registryUrl=" + registryUrl
                + ", apiKeys=<hidden>, ackTimeout=" + ackTimeout + ", maxBodyBytes=" + maxBodyBytes
                + ", setsPerSecondPerIntegration=" + setsPerSecondPerIntegration + ", idleTimeout=" + idleTimeout + "]";
    }
}
