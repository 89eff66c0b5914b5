package io.thrustline.infrastructure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Every port a stack with a given {@link StackConfig} binds, each with the variable that moves it. */
public final class StackPorts {

    private StackPorts() {}

    /** PostgreSQL, Kafka and the registry all listen on the loopback address only. */
    public static List<NeededPort> infrastructure(StackConfig config) {
        InetAddress loopback = loopback();
        return List.of(
                new NeededPort(config.postgresPort(), loopback, "PostgreSQL", "THRUSTLINE_DB_PORT"),
                new NeededPort(config.kafkaPort(), loopback, "Kafka", "THRUSTLINE_KAFKA_PORT"),
                new NeededPort(config.kafkaControllerPort(), loopback, "the Kafka controller", "THRUSTLINE_KAFKA_CONTROLLER_PORT"),
                new NeededPort(config.registryPort(), loopback, "the schema registry", "THRUSTLINE_REGISTRY_PORT"),
                new NeededPort(config.registryManagementPort(), loopback, "the schema registry's health endpoint",
                        "THRUSTLINE_REGISTRY_MANAGEMENT_PORT"));
    }

    /**
     * The HTTP services bind every interface (gyms and coaches reach them from other machines; a monitoring
     * system scrapes streams-processor's health and metrics).
     */
    public static List<NeededPort> services(StackConfig config) {
        return List.of(
                new NeededPort(config.ingestPort(), null, "ingest-service", "THRUSTLINE_INGEST_PORT"),
                new NeededPort(config.reportingPort(), null, "reporting-service", "THRUSTLINE_REPORTING_PORT"),
                new NeededPort(config.streamsPort(), null, "streams-processor's health and metrics", "THRUSTLINE_STREAMS_PORT"));
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException impossible) { // only thrown for an address of the wrong length
            throw new IllegalStateException(impossible);
        }
    }
}
