package io.thrustline.reporting;

import io.thrustline.http.Credentials;
import io.thrustline.http.HttpSettings;
import io.thrustline.reporting.webhooks.DeliveryPolicy;
import io.thrustline.seeds.RuleBook;
import io.thrustline.seeds.Seeds;
import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.RegistrySettings;
import java.time.Duration;
import java.util.Map;

/**
 * reporting-service settings; {@link #fromEnv} lists the environment variables and their defaults.
 *
 * @param maxConcurrentExports research downloads running at once, each on its own database connection;
 *                             more get 429, so exports can never starve the coach API or the sinks
 * @param sink                 how the sinks retry and how long one write may take
 * @param webhooks             how webhook deliveries are retried, timed out and given up
 * @param rules                the rule book whose bands the coach page draws ({@code THRUSTLINE_SEEDS_DIR}, else built in)
 */
public record ReportingConfig(
        HttpSettings http,
        KafkaSettings kafka,
        RegistrySettings registry,
        String consumerGroup,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String tokens,
        Duration consumerSessionTimeout,
        long maxLag,
        String exportSecret,
        int maxConcurrentExports,
        SinkPolicy sink,
        DeliveryPolicy webhooks,
        RuleBook rules) {

    static final String EXPORT_SECRET_VARIABLE = "THRUSTLINE_EXPORT_SECRET";

    public ReportingConfig {
        Credentials.check(http.profile(), EXPORT_SECRET_VARIABLE, "the secret", exportSecret);
        if (maxConcurrentExports < 1) {
            throw new IllegalArgumentException("THRUSTLINE_REPORTING_MAX_EXPORTS must be at least 1");
        }
    }

    public static ReportingConfig fromEnv(Map<String, String> env) {
        HttpSettings http = HttpSettings.fromEnv(env, "REPORTING", 8090, 1024 * 1024);
        return new ReportingConfig(
                http,
                KafkaSettings.fromEnv(env),
                RegistrySettings.fromEnv(env),
                env.getOrDefault("THRUSTLINE_REPORTING_GROUP", "thrustline-reporting"),
                env.getOrDefault("THRUSTLINE_DB_URL", "jdbc:postgresql://localhost:5433/thrustline"),
                env.getOrDefault("THRUSTLINE_DB_USER", "thrustline"),
                env.getOrDefault("THRUSTLINE_DB_PASSWORD", "thrustline"),
                Credentials.fromEnv(env, AccessTokens.VARIABLE, Credentials.DEMO_REPORTING_TOKENS, http.profile()),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("THRUSTLINE_REPORTING_SESSION_TIMEOUT_MS", "10000"))),
                Long.parseLong(env.getOrDefault("THRUSTLINE_REPORTING_MAX_LAG", "10000")),
                Credentials.fromEnv(env, EXPORT_SECRET_VARIABLE, Credentials.DEMO_EXPORT_SECRET, http.profile()),
                Integer.parseInt(env.getOrDefault("THRUSTLINE_REPORTING_MAX_EXPORTS", "2")),
                SinkPolicy.fromEnv(env),
                DeliveryPolicy.fromEnv(env),
                Seeds.load(env).rules());
    }

    /** Local-profile settings for tests and benchmarks: any port, the given infrastructure, tokens and group. */
    public static ReportingConfig local(String bootstrapServers, String registryUrl, String consumerGroup, String jdbcUrl, String dbUser,
            String dbPassword, String tokens, String exportSecret) {
        return new ReportingConfig(HttpSettings.local(0, 1024 * 1024), KafkaSettings.plaintext(bootstrapServers),
                RegistrySettings.open(registryUrl), consumerGroup, jdbcUrl, dbUser,
                dbPassword, tokens, Duration.ofSeconds(10), 10_000, exportSecret, 2, SinkPolicy.defaults(), DeliveryPolicy.defaults(),
                Seeds.loadBuiltIn().rules());
    }

    /** The same settings with another sink policy. */
    public ReportingConfig withSink(SinkPolicy policy) {
        return new ReportingConfig(http, kafka, registry, consumerGroup, jdbcUrl, dbUser, dbPassword, tokens,
                consumerSessionTimeout, maxLag, exportSecret, maxConcurrentExports, policy, webhooks, rules);
    }

    /** The same settings with another webhook delivery policy. */
    public ReportingConfig withWebhooks(DeliveryPolicy policy) {
        return new ReportingConfig(http, kafka, registry, consumerGroup, jdbcUrl, dbUser, dbPassword, tokens,
                consumerSessionTimeout, maxLag, exportSecret, maxConcurrentExports, sink, policy, rules);
    }

    @Override
    public String toString() { // secrets stay out of logs
        return "ReportingConfig[http=" + http + ", kafka=" + kafka + ", registry=" + registry
                + ", consumerGroup=" + consumerGroup + ", jdbcUrl=" + jdbcUrl + ", dbUser=" + dbUser + ", dbPassword=<hidden>, tokens=<hidden>"
                + ", consumerSessionTimeout=" + consumerSessionTimeout + ", maxLag=" + maxLag + ", exportSecret=<hidden>"
                + ", maxConcurrentExports=" + maxConcurrentExports + ", sink=" + sink + ", webhooks=" + webhooks + ", rules=version " + rules.version() + "]";
    }
}
