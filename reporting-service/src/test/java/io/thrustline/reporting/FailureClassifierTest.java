package io.thrustline.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.thrustline.reporting.FailureClassifier.Kind;
import io.thrustline.schemas.RegistryAvroSerdes;
import io.thrustline.schemas.TrainingEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.apache.kafka.common.errors.TimeoutException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureClassifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22008", "22P02", "22003", "23505", "23502", "23514"})
    void dataAndIntegrityErrorsArePoison(String state) {
        assertThat(FailureClassifier.ofStoring(databaseError(state))).isEqualTo(Kind.POISON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08006", "53000", "53100", "53200", "53300", "57P01", "57P02", "57P03",
            "40001", "40P01", "55P03", "57014"})
    void unavailableDatabaseIsTransient(String state) {
        assertThat(FailureClassifier.ofStoring(databaseError(state))).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void otherDatabaseErrorsAreRetriedRatherThanDeadLettered() {
        assertThat(FailureClassifier.ofStoring(databaseError("42P01"))).as("undefined table").isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.ofStoring(new IllegalStateException(new SQLTransientConnectionException("pool timed out"))))
                .as("no SQLState at all").isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aBatchErrorIsClassifiedByTheErrorBehindIt() {
        var batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0]);
        batch.setNextException(new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021"));
        assertThat(FailureClassifier.ofStoring(new RuntimeException(batch))).isEqualTo(Kind.POISON);
    }

    @Test
    void brokerErrorsAreTransientAndAnythingElseIsUnexpected() {
        assertThat(FailureClassifier.ofStoring(new TimeoutException("commit timed out"))).isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.ofStoring(new IllegalStateException("a bug"))).isEqualTo(Kind.UNEXPECTED);
        assertThat(FailureClassifier.ofStoring(new NullPointerException())).isEqualTo(Kind.UNEXPECTED);
    }

    // Decoding: the failures the real registry serde throws, against a registry that is down, a small HTTP
    // server standing in for the registry's two read endpoints, and bytes that are garbage.

    @Test
    void bytesNotInTheWireFormatArePoison() throws IOException {
        Throwable failure = decode(deadRegistryUrl(), new byte[] {'h', 'i', '!', 0, 0, 0});
        assertThat(FailureClassifier.ofDecoding(failure)).isEqualTo(Kind.POISON);
    }

    @Test
    void anUnreachableRegistryIsTransient() throws IOException {
        Throwable failure = decode(deadRegistryUrl(), wireFormat(7, new byte[] {2, 'x'}));
        assertThat(FailureClassifier.ofDecoding(failure)).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void registryErrorsAreTransientEvenForAnUnknownSchemaId() throws IOException {
        for (int status : new int[] {500, 503, 404, 401}) {
            var registry = fakeRegistry(status);
            try {
                Throwable failure = decode("http://127.0.0.1:" + registry.getAddress().getPort(), wireFormat(7, new byte[] {2, 'x'}));
                assertThat(FailureClassifier.ofDecoding(failure)).as("HTTP " + status).isEqualTo(Kind.TRANSIENT);
            } finally {
                registry.stop(0);
            }
        }
    }

    @Test
    void brokenAvroAfterAKnownSchemaIsPoison() throws IOException {
        var registry = fakeRegistry(200);
        try {
            String url = "http://127.0.0.1:" + registry.getAddress().getPort();
            var event = TrainingEvent.newBuilder().setEventId("e-1").setAthleteId("gym-a:ath-1").setSource("test")
                    .setReceivedAt(java.time.Instant.parse("2026-11-21T09:00:00Z"))
                    .setPayload(io.thrustline.schemas.SessionCompleted.newBuilder().setSessionId("s-1")
                            .setCompletedAt(java.time.Instant.parse("2026-11-21T10:00:00Z")).build()).build();
            var avro = new java.io.ByteArrayOutputStream();
            var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(avro, null);
            new org.apache.avro.specific.SpecificDatumWriter<>(TrainingEvent.class).write(event, encoder);
            encoder.flush();
            assertThat(new RegistryAvroSerdes(url).forValues(TrainingEvent.class).deserializer()
                    .deserialize("training.events.v1", wireFormat(7, avro.toByteArray()))).as("the stand-in registry works").isEqualTo(event);
            // a string length far beyond the bytes there are, then nothing
            Throwable truncated = decode(url, wireFormat(7, new byte[] {(byte) 0xfe, (byte) 0xff, 0x7f}));
            assertThat(FailureClassifier.ofDecoding(truncated)).isEqualTo(Kind.POISON);
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void backoffDoublesUpToTheLongestWait() {
        var policy = new SinkPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    private static RuntimeException databaseError(String state) {
        // as Jdbi reports a failed statement: its own exception around the driver's
        return new UnableToExecuteStatementException(new SQLException("refused", state), null);
    }

    private static Throwable decode(String registryUrl, byte[] bytes) {
        var deserializer = new RegistryAvroSerdes(registryUrl).forValues(TrainingEvent.class).deserializer();
        Throwable failure = catchThrowable(() -> deserializer.deserialize("training.events.v1", bytes));
        assertThat(failure).isNotNull();
        return failure;
    }

    private static byte[] wireFormat(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length).put((byte) 0).putInt(schemaId).put(avro).array();
    }

    private static String deadRegistryUrl() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort(); // closed again: nothing listens there
        }
    }

    /** Answers every request with {@code status}; with 200, the TrainingEvent schema and no references. */
    private static HttpServer fakeRegistry(int status) throws IOException {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = status != 200 ? "{}" : path.endsWith("/references") ? "[]" : TrainingEvent.getClassSchema().toString();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json"); // as the registry answers
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }
}
