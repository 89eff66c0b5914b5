package io.thrustline.schemas;

import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Serdes that go through the schema registry and write its wire format: magic byte 0, a 4-byte schema
 * (content) id, then Avro binary. Confluent, Apicurio and Karapace clients all read it.
 *
 * @param registry where the registry is and how to sign in to it
 */
public record RegistryAvroSerdes(RegistrySettings registry) implements AvroSerdes {

    /** A registry that needs no sign-in, e.g. {@code http://localhost:8085}. */
    public RegistryAvroSerdes(String registryUrl) {
        this(RegistrySettings.open(registryUrl));
    }

    /** The registry's v3 REST API, which Apicurio's serdes speak. */
    public String apiUrl() {
        return registry.url().replaceAll("/+$", "") + "/apis/registry/v3";
    }

    /** The settings any client needs to use these serdes as configured classes (producers, consumers). */
    public Map<String, Object> clientConfig() {
        var config = new HashMap<String, Object>(Map.of(
                SerdeConfig.REGISTRY_URL, apiUrl(),
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true,
                // Schema ids travel in the payload, not in headers: headers would pile up as Streams forwards records.
                KafkaSerdeConfig.ENABLE_HEADERS, false));
        if (registry.username() != null) {
            config.put(SchemaResolverConfig.AUTH_USERNAME, registry.username());
            config.put(SchemaResolverConfig.AUTH_PASSWORD, registry.password());
        }
        if (registry.tokenUrl() != null) {
            config.put(SchemaResolverConfig.AUTH_TOKEN_ENDPOINT, registry.tokenUrl());
            config.put(SchemaResolverConfig.AUTH_CLIENT_ID, registry.clientId());
            config.put(SchemaResolverConfig.AUTH_CLIENT_SECRET, registry.clientSecret());
            if (registry.scope() != null) {
                config.put(SchemaResolverConfig.AUTH_CLIENT_SCOPE, registry.scope());
            }
        }
        return config;
    }

    /** Apicurio's own client, signed in with the same credentials the serdes are given (basic or OAuth 2). */
    RegistryClient client() {
        var options = RegistryClientOptions.create(apiUrl());
        if (registry.username() != null) {
            options.basicAuth(registry.username(), registry.password());
        } else if (registry.tokenUrl() != null) {
            options.oauth2(registry.tokenUrl(), registry.clientId(), registry.clientSecret(), registry.scope());
        }
        return RegistryClientFactory.create(options);
    }

    @Override
    public <T extends SpecificRecord> Serde<T> forValues(Class<T> type) {
        return new RegistryWireSerde<>(type, apiUrl(), clientConfig(), client());
    }
}
