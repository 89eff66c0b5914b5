package io.thrustline.schemas;

import io.apicurio.registry.serde.avro.AvroSerde;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The registry wire format (magic byte 0, 4-byte schema content id, Avro binary) with the schema work done
 * once per id instead of once per record. Apicurio's serializer registers the schema and writes the first
 * record of each topic, which gives us the id; after that records are written directly. Readers are kept
 * per writer-schema id, the writer schema fetched from the registry the first time an id is seen.
 * Apicurio's own deserializer fingerprints the schema on every record, which cost the rules topology a
 * sixth of its time.
 */
final class RegistryWireSerde<T extends SpecificRecord> implements Serde<T> {

    private static final byte MAGIC = 0;
    private static final int HEADER = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema readerSchema;
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;
    private final AvroSerde<T> registering;
    private final String apiUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, byte[]> headerByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readerById = new ConcurrentHashMap<>();

    private final RegistrySignIn signIn;

    RegistryWireSerde(Class<T> type, String apiUrl, Map<String, Object> apicurioConfig, RegistrySignIn signIn) {
        this.signIn = signIn;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
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
        String path = "/ids/contentIds/" + contentId;
        parseReferences(parser, path + "/references", new java.util.HashSet<>());
        Schema writerSchema = parser.parse(get(path));
        return new SpecificDatumReader<>(writerSchema, readerSchema, model);
    }

    private void parseReferences(Schema.Parser parser, String referencesPath, java.util.Set<String> parsed) {
        try {
            for (JsonNode ref : JSON.readTree(get(referencesPath))) {
                String group = ref.path("groupId").isTextual() ? ref.get("groupId").asText() : "default";
                String version = "/groups/" + enc(group) + "/artifacts/" + enc(ref.get("artifactId").asText())
                        + "/versions/" + enc(ref.get("version").asText());
                if (parsed.add(version)) {
                    parseReferences(parser, version + "/references", parsed);
                    parser.parse(get(version + "/content"));
                }
            }
        } catch (IOException e) {
            throw new SerializationException("the registry's reference list at " + referencesPath + " is not JSON", e);
        }
    }

    private String get(String path) {
        var builder = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(Duration.ofSeconds(10));
        signIn.header().ifPresent(header -> builder.header("Authorization", header));
        var request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new SerializationException("the schema registry answered HTTP " + response.statusCode() + " for " + path);
            }
            return response.body();
        } catch (IOException e) {
            throw new SerializationException("cannot reach the schema registry for " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while fetching " + path, e);
        }
    }

    private static String enc(String part) {
        return java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        registering.close();
    }
}
