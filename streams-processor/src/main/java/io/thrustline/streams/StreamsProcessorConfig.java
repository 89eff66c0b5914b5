package io.thrustline.streams;

import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.RegistrySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * streams-processor settings; {@link #fromEnv} documents the environment variables and their local defaults.
 */
public record StreamsProcessorConfig(
        KafkaSettings kafka,
        RegistrySettings registry,
        String applicationId,
        Path stateDir,
        Retention retention,
        Duration sessionTimeout,
        long cacheBytes) {

    public static StreamsProcessorConfig fromEnv(Map<String, String> env) {
        return new StreamsProcessorConfig(
                KafkaSettings.fromEnv(env),
                RegistrySettings.fromEnv(env),
                env.getOrDefault("THRUSTLINE_STREAMS_APPLICATION_ID", "thrustline-rules"),
                Path.of(env.getOrDefault("THRUSTLINE_STREAMS_STATE_DIR", ".thrustline-data/streams")),
                new Retention(
                        Duration.ofDays(Long.parseLong(env.getOrDefault("THRUSTLINE_SESSION_RETENTION_DAYS", "30"))),
                        Integer.parseInt(env.getOrDefault("THRUSTLINE_LOAD_HISTORY_SETS", "50")),
                        Integer.parseInt(env.getOrDefault("THRUSTLINE_BALANCES_PER_EXERCISE", "10"))),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("THRUSTLINE_STREAMS_SESSION_TIMEOUT_MS", "10000"))),
                Long.parseLong(env.getOrDefault("THRUSTLINE_STREAMS_CACHE_MB", "32")) * 1024 * 1024);
    }
}
