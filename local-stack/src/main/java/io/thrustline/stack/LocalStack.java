package io.thrustline.stack;

import io.thrustline.ingest.IngestConfig;
import io.thrustline.ingest.IngestService;
import io.thrustline.http.Json;
import io.thrustline.http.Profile;
import io.thrustline.ops.Fatal;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.seeds.Seeds;
import io.thrustline.streams.StreamsProcessorConfig;
import io.thrustline.streams.StreamsProcessorService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.RunningParts;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.infrastructure.StackPorts;

/** The whole pipeline on one machine: the {@link Infrastructure} and the three services on top of it. */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final StackConfig config;
    private final Map<String, String> serviceSettings;
    /** The variables the services were started with: where each part of the stack lives. */
    private volatile Map<String, String> serviceEnvironment = Map.of();
    private final RunningParts running = new RunningParts();
    private final List<String> deaths = new CopyOnWriteArrayList<>();
    /** In one JVM with tests and the other services, a dead Kafka client is recorded and logged, never a System.exit. */
    private final Fatal fatal = (reason, cause) -> {
        deaths.add(reason);
        log.error("{}", reason, cause);
    };

    private LocalStack(StackConfig config, Map<String, String> serviceSettings) {
        this.config = config;
        this.serviceSettings = Map.copyOf(serviceSettings);
    }

    public static LocalStack start(StackConfig config) throws Exception {
        return start(config, Map.of());
    }

    /**
     * @param serviceSettings environment the services see on top of this process's own (e.g. a second
     *                        integration's key in a test); the stack's own wiring still wins
     */
    public static LocalStack start(StackConfig config, Map<String, String> serviceSettings) throws Exception {
        var stack = new LocalStack(config, serviceSettings);
        try {
            stack.startAll();
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    private void startAll() throws Exception {
        long began = System.nanoTime();
        Seeds seeds = Seeds.load(); // a broken seed file stops us before anything starts
        running.add(Infrastructure.start(config, StackPorts.services(config)));

        // The services read the same variables as when run alone; the stack fills in where its parts live.
        var env = new java.util.HashMap<>(System.getenv());
        env.putAll(serviceSettings);
        this.serviceEnvironment = env;
        // The local profile: the services fall back on the demo credentials (Credentials.DEMO_*) where none are set.
        env.put(Profile.VARIABLE, "local");
        env.put("THRUSTLINE_KAFKA_BOOTSTRAP", config.bootstrapServers());
        env.put("THRUSTLINE_REGISTRY_URL", config.registryUrl());
        env.put("THRUSTLINE_INGEST_PORT", String.valueOf(config.ingestPort()));
        env.put("THRUSTLINE_REPORTING_PORT", String.valueOf(config.reportingPort()));
        env.put("THRUSTLINE_STREAMS_PORT", String.valueOf(config.streamsPort()));
        // One broker: Streams' changelog and repartition topics can have one replica only.
        env.put("THRUSTLINE_STREAMS_REPLICATION_FACTOR", "1");
        env.put("THRUSTLINE_DB_URL", config.jdbcUrl("thrustline"));
        env.put("THRUSTLINE_DB_USER", LocalPostgres.USER);
        env.put("THRUSTLINE_DB_PASSWORD", LocalPostgres.PASSWORD);
        env.put("THRUSTLINE_STREAMS_STATE_DIR", config.dataDir().resolve("streams").toString());

        var streams = StreamsProcessorService.start(StreamsProcessorConfig.fromEnv(env), seeds, fatal);
        running.add(streams);
        running.add(ReportingService.start(ReportingConfig.fromEnv(env), () -> { }, fatal));
        running.add(IngestService.start(IngestConfig.fromEnv(env), seeds, fatal));
        streams.awaitRunning(Duration.ofSeconds(60));
        awaitReady(Duration.ofSeconds(120));
        log.info("Thrustline local stack up in {} ms", (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * Up means able to keep up, not merely started: every service's {@code /health/ready} answers 200 (Streams
     * RUNNING with no store restoring; every sink with its partitions assigned), and every sink has read to the end of
     * its partitions. These are the endpoints an operator's load balancer asks.
     */
    private void awaitReady(Duration timeout) throws InterruptedException {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var checks = new LinkedHashMap<String, String>();
        checks.put("streams-processor", config.streamsUrl() + "/health/ready");
        checks.put("reporting-service", config.reportingUrl() + "/health/ready");
        checks.put("ingest-service", config.ingestUrl() + "/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        var waitingFor = new ArrayList<String>(checks.keySet());
        String last = "";
        while (!waitingFor.isEmpty()) {
            for (var it = waitingFor.iterator(); it.hasNext(); ) {
                String service = it.next();
                last = readiness(http, checks.get(service));
                if (last.isEmpty()) {
                    it.remove();
                } else {
                    last = service + ": " + last;
                }
            }
            if (!waitingFor.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the stack did not become ready within " + timeout.toSeconds() + " s; waiting for "
                            + String.join(", ", waitingFor) + " (" + last + ")");
                }
                Thread.sleep(100);
            }
        }
    }

    /** Empty when the endpoint says ready (and, for reporting, caught up); otherwise what it said. */
    static String readiness(HttpClient http, String url) throws InterruptedException {
        try {
            var response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            var body = Json.MAPPER.readTree(response.body());
            boolean caughtUp = !body.has("caughtUp") || body.get("caughtUp").asBoolean();
            return response.statusCode() == 200 && caughtUp ? "" : response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The environment the stack's services run with, for a tool (like reprocess) to run against the same stack. */
    public Map<String, String> serviceEnvironment() {
        return Map.copyOf(serviceEnvironment);
    }

    public StackConfig config() {
        return config;
    }

    /** Why a service's Kafka client died for good, each time one did; empty while all is well. */
    public List<String> fatalErrors() {
        return List.copyOf(deaths);
    }

    /** Stops everything that started, newest first; safe to call more than once. */
    @Override
    public void close() {
        running.close();
    }
}
