package io.thrustline.bench;

import io.thrustline.stack.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import io.thrustline.infrastructure.StackConfig;

/**
 * What a coach waits for: from a session's SessionCompleted being due at ingest to its insight row in
 * PostgreSQL, on the whole local stack, at a steady offered load (open loop).
 *
 * <p>Each session is one athlete's four single-leg sets (one request) and its completion (a second request),
 * always lopsided enough for exactly one LEFT_RIGHT_IMBALANCE insight. Sessions are offered at a fixed rate
 * from the moment the stack says it is up ("from ready"), and again later ("warm"). Latency counts from
 * when the session was <em>scheduled</em> to be sent (its sets, then at once its completion), not when it
 * was, so a stall in the sender or the service shows in full (no coordinated omission). That includes the
 * sets' own request, so it overstates the completion-to-insight time by one ingest round trip. The end is the
 * row's {@code stored_at}, taken by PostgreSQL itself on the same machine.
 *
 * <p>Usage: {@code ./thrustline bench e2e [setsPerSecond] [secondsPerPhase]} (defaults 1000 and 30).
 */
public final class EndToEndLatencyBenchmark {

    private static final int SETS_PER_SESSION = 4;
    /** Requests open at once: Java's HttpClient opens a connection per concurrent request. */
    private static final int IN_FLIGHT = 256;

    public static void main(String[] args) throws Exception {
        int setsPerSecond = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        StackConfig config = BenchStack.config(BenchStack.scratch("e2e"));
        try (var stack = LocalStack.start(config)) {
            var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            System.out.printf("offered: %d sets/s (%d sessions/s of %d sets plus a completion), %d s per phase%n",
                    setsPerSecond, setsPerSecond / SETS_PER_SESSION, SETS_PER_SESSION, seconds);
            report("from ready", run(config, http, "ready", setsPerSecond, seconds));
            report("warm", run(config, http, "warm", setsPerSecond, seconds));
        }
    }

    /** Offers sessions for {@code seconds}; returns each session's latency in ms (-1 when no insight arrived). */
    private static long[] run(StackConfig config, HttpClient http, String phase, int setsPerSecond, int seconds) throws Exception {
        int sessions = setsPerSecond / SETS_PER_SESSION * seconds;
        long intervalNanos = 1_000_000_000L * SETS_PER_SESSION / setsPerSecond;
        var scheduledCompletion = new ConcurrentHashMap<String, Instant>(); // athlete -> when its session was due
        var completionAccepted = new ConcurrentHashMap<String, Instant>(); // athlete -> when ingest answered 202 to its completion
        var slots = new Semaphore(IN_FLIGHT);
        var failures = new AtomicInteger();
        Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        long began = System.nanoTime();
        Instant beganAt = Instant.now();
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sessions; i++) {
                long due = began + i * intervalNanos;
                // Parked, not spinning: a spinning sender would take one of the machine's two cores from the stack.
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                String athlete = "e2e-" + phase + "-" + i;
                Instant completionDue = beganAt.plusNanos(due - began);
                senders.submit(() -> {
                    slots.acquire();
                    try {
                        if (post(http, config.ingestUrl() + "/v1/sets", sessionSets(athlete, day)) == 202) {
                            scheduledCompletion.put("demo-gym:" + athlete, completionDue);
                            if (post(http, config.ingestUrl() + "/v1/sessions/s1/complete",
                                    "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + day.plusSeconds(600) + "\"}") != 202) {
                                failures.incrementAndGet();
                            } else {
                                completionAccepted.put("demo-gym:" + athlete, Instant.now());
                            }
                        } else {
                            failures.incrementAndGet();
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
        double achieved = sessions * SETS_PER_SESSION / ((System.nanoTime() - began) / 1e9);
        System.out.printf("%s: %d sessions offered, %,.0f sets/s achieved, %d requests refused%n", phase, sessions, achieved, failures.get());
        Map<String, Instant> stored = awaitInsights(config, phase, scheduledCompletion.size(), Duration.ofSeconds(60));
        var latencies = new ArrayList<Long>();
        var atIngest = new ArrayList<Long>();
        var afterIngest = new ArrayList<Long>();
        scheduledCompletion.forEach((athlete, due) -> {
            Instant at = stored.get(athlete);
            latencies.add(at == null ? -1 : Math.max(0, Duration.between(due, at).toMillis()));
            Instant accepted = completionAccepted.get(athlete);
            if (accepted != null && at != null) {
                atIngest.add(Duration.between(due, accepted).toMillis());
                afterIngest.add(Math.max(0, Duration.between(accepted, at).toMillis()));
            }
        });
        // Where the time went: until ingest had answered 202 to the completion (both requests, queueing in the sender
        // included), and from then to the stored insight (Kafka, the rules, the sink, PostgreSQL).
        System.out.printf("%s: of which due -> completion accepted by ingest p50 %d ms, p99 %d ms; accepted -> insight stored p50 %d ms, p99 %d ms%n",
                phase, percentile(atIngest, 0.5), percentile(atIngest, 0.99), percentile(afterIngest, 0.5), percentile(afterIngest, 0.99));
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    /** Four sets: LEFT 10 reps at 40 kg twice, RIGHT 6 reps twice: 40 % asymmetry, one insight. */
    private static String sessionSets(String athlete, Instant day) {
        var sets = new ArrayList<String>();
        for (int s = 0; s < SETS_PER_SESSION; s++) {
            String side = s % 2 == 0 ? "LEFT" : "RIGHT";
            sets.add("{\"eventId\": \"" + UUID.randomUUID() + "\", \"athleteId\": \"" + athlete + "\", \"sessionId\": \"s1\", \"performedAt\": \""
                    + day.plusSeconds(60L * s) + "\", \"exercise\": \"barbell_single_leg_hip_thrust\", \"side\": \"" + side + "\", \"reps\": "
                    + (side.equals("LEFT") ? 10 : 6) + ", \"loadKg\": 40}");
        }
        return "{\"sets\": [" + String.join(",", sets) + "]}";
    }

    private static int post(HttpClient http, String url, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer demo-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The stored_at of each phase's imbalance insight, once all are there or the time is up. */
    private static Map<String, Instant> awaitInsights(StackConfig config, String phase, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var stored = new HashMap<String, Instant>();
        try (var db = DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
                var query = db.prepareStatement("select athlete_id, stored_at from insights where rule = 'LEFT_RIGHT_IMBALANCE' and athlete_id like ?")) {
            query.setString(1, "demo-gym:e2e-" + phase + "-%");
            while (stored.size() < expected && System.nanoTime() < deadline) {
                stored.clear();
                try (var rows = query.executeQuery()) {
                    while (rows.next()) {
                        stored.put(rows.getString(1), rows.getTimestamp(2).toInstant());
                    }
                }
                Thread.sleep(500);
            }
        }
        return stored;
    }

    private static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return -1;
        }
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    private static void report(String phase, long[] latencies) {
        long missing = Arrays.stream(latencies).filter(l -> l < 0).count();
        long[] arrived = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        if (arrived.length == 0) {
            System.out.printf("%s: no insight arrived (%d sessions)%n", phase, latencies.length);
            return;
        }
        System.out.printf("%s: session due -> insight stored, p50 %d ms, p99 %d ms, max %d ms over %d sessions; %d without an insight after 60 s "
                        + "(targets: p99 <= 300 ms warm, <= 1 s from ready)%n", phase, arrived[arrived.length / 2],
                arrived[(int) (arrived.length * 0.99)], arrived[arrived.length - 1], arrived.length, missing);
    }
}
