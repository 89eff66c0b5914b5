package io.thrustline.ingest;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.ingest.IngestConfig;
import io.thrustline.ingest.IngestService;
import io.thrustline.schemas.Topics;
import io.thrustline.seeds.Seeds;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.OpenApiContract;

/** ingest-service on its own, over the real broker and registry: its contract, its limits, its failure modes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestApiTest {

    private static final String KEY = "key-a";

    @TempDir
    static Path dataDir;

    private Infrastructure infrastructure;
    private StackConfig config;
    private IngestService ingest;
    private IngestService limited;
    private IngestService cutOff;

    @BeforeAll
    void start() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        infrastructure = Infrastructure.start(config);
        Seeds seeds = Seeds.loadBuiltIn();
        ingest = IngestService.start(ingestConfig(config.bootstrapServers(), 100_000, 16L << 20, 10), seeds);
        limited = IngestService.start(ingestConfig(config.bootstrapServers(), 10, 64 * 1024, 10), seeds);
        try (var socket = new ServerSocket(0)) { // a port nothing listens on: Kafka is "down" for this one
            cutOff = IngestService.start(ingestConfig("127.0.0.1:" + socket.getLocalPort(), 100, 16L << 20, 2), seeds);
        }
    }

    private IngestConfig ingestConfig(String bootstrap, double setsPerSecond, long maxBody, int ackSeconds) {
        return IngestConfig.local(0, bootstrap, config.registryUrl(), "gym-a=" + KEY + ",gym-b=key-b",
                Duration.ofSeconds(ackSeconds), maxBody, setsPerSecond);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable part : new AutoCloseable[] {ingest, limited, cutOff, infrastructure}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private String url(IngestService service, String path) {
        return "http://127.0.0.1:" + service.port() + path;
    }

    @Test
    void theOpenApiDocumentDescribesTheRunningService() throws Exception {
        var response = call("GET", url(ingest, "/openapi.json"), null, null);
        assertThat(response.status()).isEqualTo(200);
        var contract = new OpenApiContract(response.body());
        var problems = new ArrayList<String>();
        for (var operation : contract.operations()) {
            String concrete = operation.concretePath();
            // Documented examples are accepted as they stand.
            JsonNode examples = operation.node().path("requestBody").path("content").path("application/json").path("examples");
            for (JsonNode example : examples) {
                var answer = call(operation.method(), url(ingest, concrete), KEY, withFreshEventId(example.get("value")));
                assertThat(answer.status()).as(operation.method() + " " + concrete + " example").isEqualTo(202);
                problems.addAll(contract.problems(operation, answer.status(), answer.body()));
            }
            // Every answer the service gives is one the document lists, its body valid against the documented schema.
            String body = operation.method().equals("POST") ? "{\"not\": \"valid\"}" : null;
            for (String key : new String[] {KEY, null}) {
                var answer = call(operation.method(), url(ingest, concrete), key, body);
                problems.addAll(contract.problems(operation, answer.status(), answer.body()));
            }
        }
        assertThat(problems).isEmpty();
    }

    private static String withFreshEventId(JsonNode example) {
        var copy = example.deepCopy();
        if (copy.has("eventId")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("eventId", UUID.randomUUID().toString());
        }
        return copy.toString();
    }

    @Test
    void anIntegrationOverItsRateGets429WithRetryAfterAndOthersAreNotSlowed() throws Exception {
        String batch = batch("rate", 15);
        assertThat(call("POST", url(limited, "/v1/sets"), KEY, batch).status()).isEqualTo(202); // within the burst of 20
        var refused = send(limited, batch("rate", 15), KEY);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(call("POST", url(limited, "/v1/sets"), "key-b", batch("rate-b", 5)).status()).isEqualTo(202);
    }

    @Test
    void aBodyLargerThanTheLimitGets413() throws Exception {
        assertThat(call("POST", url(limited, "/v1/sets"), KEY, batch("big", 400)).status()).isEqualTo(413);
    }

    @Test
    void whenKafkaIsDownTheAnswerIs503WithRetryAfterAndReadinessSaysSo() throws Exception {
        var refused = send(cutOff, set(UUID.randomUUID().toString(), "ath-down", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "deadlift", 100), KEY);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(call("GET", url(cutOff, "/health"), null, null).status()).isEqualTo(200);
        assertThat(call("GET", url(cutOff, "/health/ready"), null, null).status()).isEqualTo(503);
        assertThat(call("GET", url(ingest, "/health/ready"), null, null).status()).isEqualTo(200);
    }

    @Test
    void metricsCountAcceptedSetsAndRejectionsByReason() throws Exception {
        call("POST", url(ingest, "/v1/sets"), KEY, batch("metrics", 3));
        call("POST", url(ingest, "/v1/sets"), "wrong", batch("metrics", 1));
        var scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(ingest, "/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(scrape).contains("thrustline_ingest_sets_accepted_total{integration=\"gym-a\"}")
                .contains("thrustline_ingest_rejected_total{reason=\"unauthorized\"}")
                .contains("thrustline_ingest_requests_seconds_bucket");
    }

    @Test
    void theCatalogIsServedAndUnknownExercisesGetCloseMatches() throws Exception {
        var catalog = call("GET", url(ingest, "/v1/exercises"), KEY, null);
        assertThat(catalog.body().get("items").size()).isGreaterThanOrEqualTo(16);
        var wrong = call("POST", url(ingest, "/v1/sets"), KEY,
                set(UUID.randomUUID().toString(), "ath-1", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "romanian_deadlfit", 60));
        assertThat(wrong.body().get("errors").get(0).get("message").asText()).contains("did you mean romanian_deadlift");
    }

    @Test
    void aStrongExportIsImportedOverHttpAndReportsTheRowsItLeftOut() throws Exception {
        String csv;
        try (var in = io.thrustline.seeds.Seeds.openResource("samples/strong-export.csv")) {
            csv = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        long before = eventsOnTopic();
        var request = HttpRequest.newBuilder(URI.create(url(ingest, "/v1/imports/strong?athleteId=ath-import&timeZone=UTC")))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = TestStacks.JSON.readTree(response.body());
        assertThat(body.get("imported").asInt()).isEqualTo(9);
        assertThat(body.get("sessions")).hasSize(2);
        assertThat(body.get("skipped")).hasSize(4);
        assertThat(eventsOnTopic() - before).isEqualTo(11); // 9 sets and 2 completions

        var notAnExport = HttpRequest.newBuilder(URI.create(url(ingest, "/v1/imports/hevy?athleteId=ath-import")))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(csv)).build();
        var refused = HttpClient.newHttpClient().send(notAnExport, HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("not a Hevy export");
    }

    @Test
    void thousandsOfMalformedAndHostileBodiesAllGetA4xxWithAReasonAndNothingReachesTheTopic() throws Exception {
        long before = eventsOnTopic();
        var random = new Random(7);
        List<Function<Random, String>> generators = hostileBodies();
        for (int i = 0; i < 3000; i++) {
            String body = generators.get(random.nextInt(generators.size())).apply(random);
            var response = send(ingest, body, KEY);
            assertThat(response.statusCode()).as("body %s", abbreviate(body)).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type")).as("content type for %s", abbreviate(body))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode json = TestStacks.JSON.readTree(response.body());
            assertThat(json.get("status").asInt()).isEqualTo(response.statusCode());
            assertThat(json.get("detail").asText()).as("reason for %s", abbreviate(body)).isNotBlank();
            assertThat(response.body().length()).as("answer size for %s", abbreviate(body)).isLessThan(64 * 1024);
            json.path("errors").forEach(e -> assertThat(e.get("message").asText()).isNotBlank());
        }
        assertThat(eventsOnTopic()).isEqualTo(before);
    }

    /** Every generator makes a body that is invalid by construction, so a 202 would be a real bug. */
    private static List<Function<Random, String>> hostileBodies() {
        String valid = set("7d1e6c2a-1f0b-4c55-9a8e-0f1b2c3d4e5f", "ath-fuzz", "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "glute_bridge", 0).trim();
        // Values wrong for every one of the fields below (a short word would be a valid id, 1.5 a valid load).
        List<String> wrongValues = List.of("null", "true", "[]", "{}", "\"\"", "-1", "99999999999999999999",
                "\"" + "a".repeat(70) + "\"", "\"ath 1\"", "\"\\u0000\"", "\"💪\"");
        List<String> fields = List.of("eventId", "athleteId", "sessionId", "performedAt", "exercise", "reps", "loadKg");
        return List.of(
                r -> valid.substring(0, 1 + r.nextInt(valid.length() - 2)),                      // truncated JSON
                r -> mutated(valid, set -> set.set(fields.get(r.nextInt(fields.size())),               // a required field with a wrong value
                        parse(wrongValues.get(r.nextInt(wrongValues.size()))))),
                r -> mutated(valid, set -> set.remove(fields.get(r.nextInt(fields.size())))),           // a required field missing
                r -> valid.replaceFirst("\\{", "{\"" + "x".repeat(1 + r.nextInt(20)) + "\": 1, "),  // an unknown field
                r -> valid.replaceFirst("\\{", "{\"reps\": 3, "),                                  // a duplicated key
                r -> "[".repeat(2000 + r.nextInt(3000)),                                          // nesting bomb
                r -> "{\"sets\": [" + String.join(",", Collections.nCopies(1001, "{}")) + "]}",    // too many sets
                r -> "{\"sets\": []}",
                r -> "{\"sets\": " + valid + "}",
                r -> valid.replaceFirst("\"loadKg\": 0(\\.0)?", "\"loadKg\": 0, \"notes\": \"" + "n".repeat(501 + r.nextInt(2000)) + "\""),
                r -> valid.replaceFirst("\"exercise\": \"glute_bridge\"", "\"exercise\": \"single_leg_glute_bridge\""),  // side missing
                r -> valid.replaceFirst("\"loadKg\": 0(\\.0)?", "\"loadKg\": 0, \"side\": \"LEFT\""),                     // side on a bilateral lift
                r -> valid.replaceFirst(TestStacks.RECENT_DAY + "T07:30:00Z", "2126-11-20T07:30:00Z"),                                  // far future
                r -> {
                    byte[] bytes = new byte[1 + r.nextInt(200)];
                    r.nextBytes(bytes);
                    return "\u0001" + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);                     // binary garbage
                },
                r -> valid.replaceFirst("\"loadKg\": 0(\\.0)?", "\"loadKg\": 1e400"),                               // overflows to infinity
                r -> valid.replaceFirst("\"reps\": 8", "\"reps\": NaN"),                                              // not JSON at all
                r -> "",
                r -> "null",
                r -> "\"just a string\"",
                r -> valid + valid);                                                                                      // trailing content
    }

    private static String mutated(String json, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) parse(json);
        change.accept(node);
        return node.toString();
    }

    private static JsonNode parse(String json) {
        try {
            return TestStacks.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 120 ? body.substring(0, 120) + "..." : body;
    }

    private HttpResponse<String> send(IngestService service, String body, String key) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url(service, "/v1/sets"))).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String batch(String athlete, int sets) {
        var items = new ArrayList<String>();
        for (int i = 0; i < sets; i++) {
            items.add(set(UUID.randomUUID().toString(), athlete, "s1", TestStacks.RECENT_DAY + "T07:30:00Z", "glute_bridge", 0)
                    .replace("}", ", \"notes\": \"" + "padding ".repeat(20) + "\"}"));
        }
        return "{\"sets\": [" + String.join(",", items) + "]}";
    }

    private long eventsOnTopic() throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions();
            var request = new java.util.HashMap<TopicPartition, OffsetSpec>();
            partitions.forEach(p -> request.put(new TopicPartition(Topics.EVENTS, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
