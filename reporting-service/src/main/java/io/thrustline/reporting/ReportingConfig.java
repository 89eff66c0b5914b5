package io.thrustline.reporting;

import java.util.Map;

/** reporting-service settings; {@link #fromEnv} lists the environment variables and their local defaults. */
public record ReportingConfig(
        int port,
        String bootstrapServers,
        String registryUrl,
        String consumerGroup,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String tokens,
        java.time.Duration consumerSessionTimeout,
        long maxLag,
        String exportSecret,
        SinkPolicy sink) {

    /** The settings before sink policies existed: the sinks get {@link SinkPolicy#defaults()}. */
    public ReportingConfig(int port, String bootstrapServers, String registryUrl, String consumerGroup, String jdbcUrl, String dbUser,
            String dbPassword, String tokens, java.time.Duration consumerSessionTimeout, long maxLag, String exportSecret) {
        this(port, bootstrapServers, registryUrl, consumerGroup, jdbcUrl, dbUser, dbPassword, tokens, consumerSessionTimeout, maxLag,
                exportSecret, SinkPolicy.defaults());
    }

    public static ReportingConfig fromEnv(Map<String, String> env) {
        return new ReportingConfig(
                Integer.parseInt(env.getOrDefault("THRUSTLINE_REPORTING_PORT", "8090")),
                env.getOrDefault("THRUSTLINE_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.getOrDefault("THRUSTLINE_REGISTRY_URL", "http://localhost:8085"),
                env.getOrDefault("THRUSTLINE_REPORTING_GROUP", "thrustline-reporting"),
                env.getOrDefault("THRUSTLINE_DB_URL", "jdbc:postgresql://localhost:5433/thrustline"),
                env.getOrDefault("THRUSTLINE_DB_USER", "thrustline"),
                env.getOrDefault("THRUSTLINE_DB_PASSWORD", "thrustline"),
                env.getOrDefault("THRUSTLINE_REPORTING_TOKENS", "demo-admin=admin,demo-coach=coach:coach-demo,demo-researcher=researcher"),
                java.time.Duration.ofMillis(Long.parseLong(env.getOrDefault("THRUSTLINE_REPORTING_SESSION_TIMEOUT_MS", "10000"))),
                Long.parseLong(env.getOrDefault("THRUSTLINE_REPORTING_MAX_LAG", "10000")),
                env.getOrDefault("THRUSTLINE_EXPORT_SECRET", "local-stack-only-export-secret"),
                SinkPolicy.fromEnv(env));
    }

    @Override
    public String toString() { // secrets stay out of logs
        return "ReportingConfig[port=" + port + ", bootstrapServers=" + bootstrapServers + ", registryUrl=" + registryUrl
                + ", consumerGroup=" + consumerGroup + ", jdbcUrl=" + jdbcUrl + ", dbUser=" + dbUser + ", dbPassword=<hidden>, tokens=<hidden>"
                + ", consumerSessionTimeout=" + consumerSessionTimeout + ", maxLag=" + maxLag + ", exportSecret=<hidden>, sink=" + sink + "]";
    }
}
