package io.thrustline.schemas;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.models.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroSerde;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The registry wire format (magic byte 0, 4-byte schema content id, Avro binary) with the schema work done
 * once per id instead of once per record. Apicurio's serializer registers the schema and writes the first
 * record of each topic, which gives us the id; after that records are written directly. Readers are kept
 * per writer-schema id, the writer schema fetched the first time an id is seen through Apicurio's own client,
 * signed in as the serializer is.
 * Apicurio's own deserializer fingerprints the schema on every record, which cost the rules topology a
 * sixth of its time.
 */
final class RegistryWireSerde<T extends SpecificRecord> implements Serde<T> {

    private static final byte MAGIC = 0;
    private static final int HEADER = 5;
    private final Schema readerSchema;
    private final SpecificData model;
    private final DatumWriter<T> writer;
    private final AvroSerde<T> registering;
    private final String apiUrl;
    private final RegistryClient registry;
    private final Duration registryTimeout;
    private static final Executor CALLS = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, byte[]> headerByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readerById = new ConcurrentHashMap<>();

    RegistryWireSerde(Class<T> type, String apiUrl, Map<String, Object> apicurioConfig, RegistryClient registry) {
        this(type, apiUrl, apicurioConfig, registry, Duration.ofSeconds(10));
    }

    RegistryWireSerde(Class<T> type, String apiUrl, Map<String, Object> apicurioConfig, RegistryClient registry, Duration registryTimeout) {
        this.registry = registry;
        this.registryTimeout = registryTimeout;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writer = PlainAvroSerde.writerOf(type, model);
        this.apiUrl = apiUrl;
        this.registering = new AvroSerde<>();
        registering.configure(apicurioConfig, false);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            byte[] header = headerByTopic.get(topic);
            if (header == null) {
                byte[] first = registerAndWrite(topic, value);
                if (first.length < HEADER || first[0] != MAGIC) {
                    throw new SerializationException("the registry serializer did not write the wire format for " + topic);
                }
                headerByTopic.put(topic, Arrays.copyOf(first, HEADER));
                return first;
            }
            return PlainAvroSerde.encode(writer, value, header, topic);
        };
    }

    /**
     * Apicurio's serializer reports a registry that refuses it (401, 403, 5xx) as a bare RuntimeException whose
     * message is a class name; as a SerializationException naming the registry's answer, a producer's caller sees
     * a Kafka error it already handles (ingest answers 503) and the log says what the registry said.
     */
    private byte[] registerAndWrite(String topic, T value) {
        try {
            return registering.serializer().serialize(topic, value);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("the schema registry at " + apiUrl + " did not register the schema for " + topic
                    + ": " + registryAnswer(e), e);
        }
    }

    private static String registryAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.microsoft.kiota.ApiException api) {
                String answer = "HTTP " + api.getResponseStatusCode();
                if (api.getResponseStatusCode() == 401 || api.getResponseStatusCode() == 403) {
                    answer += " (check THRUSTLINE_REGISTRY_USERNAME/_PASSWORD or the OAuth settings)";
                }
                if (api instanceof io.apicurio.registry.rest.client.models.ProblemDetails problem && problem.getDetail() != null) {
                    answer += ": " + problem.getDetail();
                }
                return answer;
            }
        }
        return failure.toString();
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER || bytes[0] != MAGIC) {
                throw new SerializationException("record on " + topic + " is not in the registry wire format (magic byte 0, schema id, Avro)");
            }
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            try {
                return readerById.computeIfAbsent(id, this::readerFor).read(null, DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot read Avro (schema id " + id + ") from topic " + topic, e);
            }
        };
    }

    private SpecificDatumReader<T> readerFor(int contentId) {
        // Nested records are registered as separate artifacts and referenced by name: parse those first.
        var parser = new Schema.Parser();
        var content = registry.ids().contentIds().byContentId((long) contentId);
        parseReferences(parser, "content id " + contentId, () -> content.references().get(), new HashSet<>());
        Schema writerSchema = parser.parse(text("content id " + contentId, content::get));
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    private void parseReferences(Schema.Parser parser, String of, Supplier<List<ArtifactReference>> references, Set<String> parsed) {
        var listed = ask("the references of " + of, references);
        for (ArtifactReference ref : listed == null ? List.<ArtifactReference>of() : listed) { // null: an empty answer
            String group = ref.getGroupId() == null ? "default" : ref.getGroupId();
            String coordinates = group + "/" + ref.getArtifactId() + "@" + ref.getVersion();
            if (parsed.add(coordinates)) {
                var version = registry.groups().byGroupId(group).artifacts().byArtifactId(ref.getArtifactId()).versions()
                        .byVersionExpression(ref.getVersion());
                parseReferences(parser, coordinates, () -> version.references().get(), parsed);
                parser.parse(text(coordinates, () -> version.content().get()));
            }
        }
    }

    private String text(String of, Supplier<InputStream> content) {
        try (InputStream in = ask("the schema of " + of, content)) {
            if (in == null) {
                throw new SerializationException("the schema registry at " + apiUrl + " gave an empty answer for the schema of " + of);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SerializationException("cannot read the schema of " + of + " from the registry at " + apiUrl, e);
        }
    }

    /**
     * One call to the registry, given up after {@link #registryTimeout}: Apicurio's client (over Vert.x) waits for an
     * answer without a time limit, and a registry that took the connection and never answered would hold a stream
     * thread for ever. A call given up on is a failed read that the caller retries; its thread is a virtual one.
     */
    private <R> R ask(String what, Supplier<R> call) {
        var answer = CompletableFuture.supplyAsync(call, CALLS);
        try {
            return answer.get(registryTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new SerializationException("the schema registry at " + apiUrl + " did not give " + what + " within "
                    + registryTimeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new SerializationException("the schema registry at " + apiUrl + " did not give " + what + ": " + registryAnswer(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while asking the schema registry for " + what, e);
        }
    }

    @Override
    public void close() {
        registering.close();
    }
}
