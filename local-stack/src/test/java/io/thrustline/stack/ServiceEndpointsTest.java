package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;

/**
 * Every service of a running stack answers /health/live and /health/ready, and its /metrics carries the JVM's,
 * its Kafka clients' (or Streams') and, for reporting, its connection pools' series.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceEndpointsTest {

    @TempDir
    static Path dataDir;

    private StackConfig config;
    private LocalStack stack;

    @BeforeAll
    void startStack() throws Exception {
        config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        stack = LocalStack.start(config);
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void streamsProcessorIsReadyWhenRunningWithNothingRestoring() throws Exception {
        assertThat(TestStacks.eventually(Duration.ofSeconds(30), () -> call("GET", config.streamsUrl() + "/health/ready", null, null).status() == 200))
                .isTrue();
        var ready = call("GET", config.streamsUrl() + "/health/ready", null, null);
        assertThat(ready.body().get("state").asText()).isEqualTo("RUNNING");
        assertThat(ready.body().get("restoring").asInt()).isZero();
        assertThat(call("GET", config.streamsUrl() + "/health/live", null, null).status()).isEqualTo(200);
        assertThat(stack.fatalErrors()).isEmpty();
    }

    @Test
    void theStackSaysItIsUpOnlyOnceEveryServiceIsReadyAndEverySinkHasItsPartitionsAndIsCaughtUp() throws Exception {
        // No waiting here: LocalStack.start returned, so all of this must already hold.
        var streams = call("GET", config.streamsUrl() + "/health/ready", null, null);
        assertThat(streams.status()).isEqualTo(200);
        assertThat(streams.body().get("state").asText()).isEqualTo("RUNNING");
        var reporting = call("GET", config.reportingUrl() + "/health/ready", null, null);
        assertThat(reporting.status()).isEqualTo(200);
        assertThat(reporting.body().get("caughtUp").asBoolean()).isTrue();
        var sinks = new java.util.ArrayList<String>();
        reporting.body().get("lag").fieldNames().forEachRemaining(sinks::add);
        assertThat(sinks).containsExactlyInAnyOrder("insights", "balances", "sets", "notifier");
        assertThat(reporting.body().get("lag").properties())
                .allSatisfy(sink -> assertThat(sink.getValue().asLong()).as(sink.getKey() + " lag").isZero());
        assertThat(call("GET", config.ingestUrl() + "/health/ready", null, null).status()).isEqualTo(200);
    }

    @Test
    void theRegistryAcceptsOnlySchemaChangesThatStillReadWhatWasWritten() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String artifacts = config.registryUrl() + "/apis/registry/v3/groups/default/artifacts";
        String before = io.thrustline.http.Json.MAPPER.writeValueAsString(SchemaEvolution.beforeSetTypes());
        assertThat(before).doesNotContain("setType");
        assertThat(post(http, artifacts, "{\"artifactId\": \"compatibility-check-value\", \"artifactType\": \"AVRO\", \"firstVersion\": "
                + version(before) + "}").statusCode()).isEqualTo(200);
        String versions = artifacts + "/compatibility-check-value/versions";
        // setType came with a default: today's schema reads every event written before it.
        assertThat(post(http, versions, version(io.thrustline.schemas.TrainingEvent.getClassSchema().toString())).statusCode()).isEqualTo(200);
        // A new field without a default could not read those events: the registry refuses it.
        String breaking = io.thrustline.schemas.TrainingEvent.getClassSchema().toString()
                .replace("{\"name\":\"eventId\"", "{\"name\":\"coachId\",\"type\":\"string\"},{\"name\":\"eventId\"");
        assertThat(breaking).contains("coachId");
        var refused = post(http, versions, version(breaking));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("RuleViolationException").contains("Incompatible artifact").contains("coachId");
    }

    private static String version(String schema) throws Exception {
        var content = io.thrustline.http.Json.MAPPER.createObjectNode();
        content.putObject("content").put("content", schema).put("contentType", "application/json");
        return io.thrustline.http.Json.MAPPER.writeValueAsString(content);
    }

    private static java.net.http.HttpResponse<String> post(java.net.http.HttpClient http, String url, String body) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceAnswersLiveness() throws Exception {
        for (String url : new String[] {config.ingestUrl(), config.reportingUrl(), config.streamsUrl()}) {
            assertThat(call("GET", url + "/health/live", null, null).status()).as(url).isEqualTo(200);
            assertThat(call("GET", url + "/health", null, null).status()).as(url).isEqualTo(200);
        }
    }

    @Test
    void metricsCarryJvmKafkaClientAndPoolSeries() throws Exception {
        String ingest = metrics(config.ingestUrl());
        assertThat(families(ingest)).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "process_cpu_usage", "process_files_open_files");
        assertThat(ingest).contains("kafka_producer_record_send_total");

        String reporting = metrics(config.reportingUrl());
        assertThat(families(reporting)).contains("jvm_memory_used_bytes", "hikaricp_connections", "hikaricp_connections_active");
        assertThat(reporting).contains("pool=\"reporting-sinks\"").contains("pool=\"reporting-api\"");
        assertThat(TestStacks.eventually(Duration.ofSeconds(20), () -> metrics(config.reportingUrl()).contains("kafka_consumer_fetch_manager_records_consumed_total")))
                .isTrue();

        String streams = metrics(config.streamsUrl());
        assertThat(families(streams)).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total");
        assertThat(streams).contains("kafka_stream_thread_").contains("kafka_consumer_").contains("kafka_producer_");
    }

    private static String metrics(String url) throws Exception {
        var response = call("GET", url + "/metrics", null, null);
        assertThat(response.status()).as(url + "/metrics").isEqualTo(200);
        return response.body().asText();
    }

    /** The metric families a Prometheus text names in its # TYPE lines. */
    private static TreeSet<String> families(String text) {
        var names = new TreeSet<String>();
        Arrays.stream(text.split("\n")).filter(l -> l.startsWith("# TYPE ")).forEach(l -> names.add(l.split(" ")[2]));
        return names;
    }
}
