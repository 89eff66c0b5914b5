package io.thrustline.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client properties every client of a service starts from (producers, consumers, Streams, admin):
 * the bootstrap address plus whatever a real cluster needs (security protocol, SASL, TLS, rack, timeouts).
 *
 * <p>Read from a properties file named by {@code THRUSTLINE_KAFKA_PROPERTIES_FILE}, then from every
 * {@code THRUSTLINE_KAFKA_<PROPERTY_IN_UPPER_SNAKE>} variable, which wins over the file:
 * {@code THRUSTLINE_KAFKA_SECURITY_PROTOCOL=SASL_SSL} sets {@code security.protocol}. A service sets the
 * properties its correctness depends on (acks, idempotence, isolation level, offsets) after these, so those
 * cannot be overridden by accident.
 */
public record KafkaSettings(Map<String, String> clientProperties) {

    public static final String PREFIX = "THRUSTLINE_KAFKA_";
    public static final String PROPERTIES_FILE = "THRUSTLINE_KAFKA_PROPERTIES_FILE";
    /** The bootstrap address under its historical, shorter name; {@code THRUSTLINE_KAFKA_BOOTSTRAP_SERVERS} works too. */
    public static final String BOOTSTRAP = "THRUSTLINE_KAFKA_BOOTSTRAP";
    /** Variables with the prefix that are not client properties: the local stack's own broker ports. */
    private static final Set<String> NOT_CLIENT_PROPERTIES = Set.of("THRUSTLINE_KAFKA_PORT", "THRUSTLINE_KAFKA_CONTROLLER_PORT",
            PROPERTIES_FILE, BOOTSTRAP);
    private static final Set<String> SECRET_WORDS = Set.of("password", "jaas", "secret", "key", "token");

    public KafkaSettings {
        clientProperties = Map.copyOf(clientProperties);
        if (!clientProperties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("no Kafka bootstrap address: set " + BOOTSTRAP);
        }
    }

    public static KafkaSettings fromEnv(Map<String, String> env) {
        var properties = new HashMap<String, String>();
        String file = env.get(PROPERTIES_FILE);
        if (file != null && !file.isBlank()) {
            var loaded = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(file))) {
                loaded.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException(PROPERTIES_FILE + "=" + file + " cannot be read: " + e.getMessage(), e);
            }
            loaded.stringPropertyNames().forEach(name -> properties.put(name, loaded.getProperty(name)));
        }
        properties.putIfAbsent("bootstrap.servers", "localhost:9092");
        String bootstrap = env.get(BOOTSTRAP);
        if (bootstrap != null && !bootstrap.isBlank()) {
            properties.put("bootstrap.servers", bootstrap);
        }
        for (var variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(PREFIX) && !NOT_CLIENT_PROPERTIES.contains(name) && name.length() > PREFIX.length()) {
                properties.put(propertyName(name), variable.getValue());
            }
        }
        return new KafkaSettings(properties);
    }

    /** Plain settings for a broker without security, as the local stack and tests run it. */
    public static KafkaSettings plaintext(String bootstrapServers) {
        return new KafkaSettings(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** {@code THRUSTLINE_KAFKA_SASL_JAAS_CONFIG} names {@code sasl.jaas.config}. */
    static String propertyName(String variable) {
        return variable.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public String bootstrapServers() {
        return clientProperties.get("bootstrap.servers");
    }

    /** A fresh, mutable copy of the client properties, for a client to add its own to. */
    public Map<String, Object> common() {
        return new HashMap<>(clientProperties);
    }

    /** The same settings with one more property (a test's or a tool's own). */
    public KafkaSettings with(String property, String value) {
        var copy = new HashMap<>(clientProperties);
        copy.put(property, value);
        return new KafkaSettings(copy);
    }

    @Override
    public String toString() { // credentials stay out of logs
        var shown = new TreeMap<String, String>();
        clientProperties.forEach((name, value) ->
                shown.put(name, SECRET_WORDS.stream().anyMatch(name::contains) ? "<hidden>" : value));
        return "KafkaSettings" + shown;
    }
}
