package io.thrustline.http;

import java.time.Duration;
import java.util.Map;

/**
 * How one service's HTTP server listens and what it bounds. Read from {@code THRUSTLINE_<SERVICE>_*}
 * variables; the defaults suit the local stack and a small production instance alike.
 *
 * @param maxConnections  open connections at once; more wait in the accept queue, so a flood of clients
 *                        cannot run the process out of file descriptors
 * @param requestTimeout  how long reading one request body may take in all (the idle timeout alone lets a
 *                        client trickle a byte every few seconds for ever)
 * @param metricsToken    bearer token for {@code /metrics}; outside the local profile {@code /metrics} needs it
 */
public record HttpSettings(
        int port,
        long maxBodyBytes,
        Duration idleTimeout,
        int maxConnections,
        Duration requestTimeout,
        Profile profile,
        String metricsToken) {

    public static final String METRICS_TOKEN_VARIABLE = "THRUSTLINE_METRICS_TOKEN";

    public HttpSettings {
        // A body is read into one array, so its limit must fit one (1 GiB is far above any legal request).
        if (maxBodyBytes < 1024 || maxBodyBytes > 1L << 30 || maxConnections < 1 || idleTimeout.isNegative() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("HTTP settings out of range: 1024 <= maxBodyBytes <= 1 GiB, maxConnections >= 1, timeouts >= 0");
        }
        if (metricsToken != null) {
            Credentials.check(profile, METRICS_TOKEN_VARIABLE, "the token", metricsToken);
        }
    }

    /** Settings of service {@code SERVICE} (e.g. INGEST) from {@code THRUSTLINE_SERVICE_PORT}, ...; see the README. */
    public static HttpSettings fromEnv(Map<String, String> env, String service, int defaultPort, long defaultMaxBodyBytes) {
        String prefix = "THRUSTLINE_" + service + "_";
        String metricsToken = env.get(METRICS_TOKEN_VARIABLE);
        return new HttpSettings(
                Integer.parseInt(env.getOrDefault(prefix + "PORT", String.valueOf(defaultPort))),
                Long.parseLong(env.getOrDefault(prefix + "MAX_BODY_BYTES", String.valueOf(defaultMaxBodyBytes))),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault(prefix + "IDLE_TIMEOUT_SECONDS", "30"))),
                Integer.parseInt(env.getOrDefault(prefix + "MAX_CONNECTIONS", "2000")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault(prefix + "REQUEST_TIMEOUT_SECONDS", "30"))),
                Profile.fromEnv(env),
                metricsToken == null || metricsToken.isBlank() ? null : metricsToken);
    }

    /** Local-profile settings on the given port, as tests and the benchmarks use. */
    public static HttpSettings local(int port, long maxBodyBytes) {
        return new HttpSettings(port, maxBodyBytes, Duration.ofSeconds(30), 2000, Duration.ofSeconds(30), Profile.LOCAL, null);
    }

    @Override
    public String toString() { // the token stays out of logs
        return "HttpSettings[port=" + port + ", maxBodyBytes=" + maxBodyBytes + ", idleTimeout=" + idleTimeout + ", maxConnections="
                + maxConnections + ", requestTimeout=" + requestTimeout + ", profile=" + profile + ", metricsToken="
                + (metricsToken == null ? "none" : "<hidden>") + "]";
    }
}
