package io.thrustline.infrastructure;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack keeps its data and which ports it listens on. Every value has an environment
 * variable; the defaults are the ports the README lists.
 */
public record StackConfig(
        Path dataDir,
        Path registryHome,
        int kafkaPort,
        int kafkaControllerPort,
        int registryPort,
        int registryManagementPort,
        int postgresPort,
        int ingestPort,
        int reportingPort,
        int streamsPort,
        int topicPartitions) {

    /** Where the build unpacks the registry app, from the checkout's root (embedded-infrastructure's pom.xml). */
    public static final String REGISTRY_HOME_IN_CHECKOUT = "embedded-infrastructure/target/apicurio-registry";

    public static StackConfig fromEnv(Map<String, String> env) {
        int kafkaPort = port(env, "THRUSTLINE_KAFKA_PORT", 9092);
        int registryPort = port(env, "THRUSTLINE_REGISTRY_PORT", 8085);
        return new StackConfig(
                Path.of(env.getOrDefault("THRUSTLINE_DATA_DIR", ".thrustline-data")).toAbsolutePath(),
                Path.of(env.getOrDefault("THRUSTLINE_REGISTRY_HOME", REGISTRY_HOME_IN_CHECKOUT)).toAbsolutePath(),
                kafkaPort,
                port(env, "THRUSTLINE_KAFKA_CONTROLLER_PORT", kafkaPort + 1),
                registryPort,
                port(env, "THRUSTLINE_REGISTRY_MANAGEMENT_PORT", registryPort + 1),
                port(env, "THRUSTLINE_DB_PORT", 5433),
                port(env, "THRUSTLINE_INGEST_PORT", 8080),
                port(env, "THRUSTLINE_REPORTING_PORT", 8090),
                port(env, "THRUSTLINE_STREAMS_PORT", 8070),
                Integer.parseInt(env.getOrDefault("THRUSTLINE_TOPIC_PARTITIONS", "3")));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a port number (1-65535)");
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    public String ingestUrl() {
        return "http://127.0.0.1:" + ingestPort;
    }

    public String reportingUrl() {
        return "http://127.0.0.1:" + reportingPort;
    }

    /** streams-processor's health and metrics server. */
    public String streamsUrl() {
        return "http://127.0.0.1:" + streamsPort;
    }
}
