package io.thrustline.schemas;

import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes that go through the schema registry and write its wire format: magic byte 0, a 4-byte schema
 * (content) id, then Avro binary. Confluent, Apicurio and Karapace clients all read it.
 *
 * @param registryUrl base address of the registry, e.g. {@code http://localhost:8085}
 */
public record RegistryAvroSerdes(String registryUrl) implements AvroSerdes {

    /** The registry's v3 REST API, which Apicurio's serdes speak. */
    public String apiUrl() {
        return registryUrl.replaceAll("/+$", "") + "/apis/registry/v3";
    }

    /** The settings any client needs to use these serdes as configured classes (producers, consumers). */
    public Map<String, Object> clientConfig() {
        return Map.of(
                SerdeConfig.REGISTRY_URL, apiUrl(),
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true,
                // Schema ids travel in the payload, not in headers: headers would pile up as Streams forwards records.
                KafkaSerdeConfig.ENABLE_HEADERS, false);
    }

    @Override
    public <T extends SpecificRecord> Serde<T> forValues(Class<T> type) {
        return new RegistryWireSerde<>(type, apiUrl(), clientConfig());
    }
}
