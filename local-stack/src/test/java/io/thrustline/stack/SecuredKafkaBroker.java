package io.thrustline.stack;

import io.thrustline.infrastructure.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker in this JVM, secured as a real cluster would be: clients reach it only through a
 * SASL_PLAINTEXT listener with SCRAM-SHA-256, and {@code StandardAuthorizer} lets a principal do only what an ACL
 * allows ({@code allow.everyone.if.no.acl.found=false}).
 *
 * <p>The SCRAM users are written into the metadata log when the storage is formatted
 * ({@code kafka-storage format --add-scram 'SCRAM-SHA-256=[name=...,password=...]'}), so no outside service is
 * needed. Super users: {@value #BROKER_USER} (the broker itself on its SASL listener), {@value #ADMIN_USER} (the test's
 * admin, which creates topics and ACLs) and {@code ANONYMOUS}: the CONTROLLER listener is PLAINTEXT on loopback and
 * not advertised, and the broker half registers with the controller half over it, which needs CLUSTER_ACTION.
 */
final class SecuredKafkaBroker implements AutoCloseable {

    static final String MECHANISM = "SCRAM-SHA-256";
    static final String BROKER_USER = "broker";
    static final String ADMIN_USER = "admin";

    private final KafkaRaftServer server;
    private final int port;
    private final Map<String, String> users;

    private SecuredKafkaBroker(KafkaRaftServer server, int port, Map<String, String> users) {
        this.server = server;
        this.port = port;
        this.users = users;
    }

    /**
     * @param users SCRAM users (name to password) besides the broker and admin, whose passwords are made up here
     */
    static SecuredKafkaBroker start(Path dataDir, int port, int controllerPort, Map<String, String> users) throws IOException {
        var all = new LinkedHashMap<String, String>();
        all.put(BROKER_USER, "broker-" + Uuid.randomUuid());
        all.put(ADMIN_USER, "admin-" + Uuid.randomUuid());
        all.putAll(users);
        Path logDir = dataDir.resolve("secured-kafka");
        Files.createDirectories(logDir);
        Properties props = properties(logDir, port, controllerPort, all.get(BROKER_USER));
        Path propertiesFile = dataDir.resolve("secured-kafka.properties");
        try (var out = Files.newBufferedWriter(propertiesFile)) {
            props.store(out, "the secured test broker");
        }
        format(propertiesFile, all);
        var server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown(); // a half-started broker's threads would keep the JVM alive
            server.awaitShutdown();
            throw new IllegalStateException("the secured Kafka broker did not start on port " + port, e);
        }
        return new SecuredKafkaBroker(server, port, Map.copyOf(all));
    }

    private static Properties properties(Path logDir, int port, int controllerPort, String brokerPassword) {
        var p = KafkaBroker.singleNode(logDir, controllerPort);
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", jaas(BROKER_USER, brokerPassword));
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER + ";User:" + ADMIN_USER + ";User:ANONYMOUS");
        return p;
    }

    private static void format(Path propertiesFile, Map<String, String> users) {
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString()));
        users.forEach((name, password) -> {
            args.add("--add-scram");
            args.add(MECHANISM + "=[name=" + name + ",password=" + password + "]");
        });
        var output = new ByteArrayOutputStream();
        int status;
        try (var out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(args.toArray(String[]::new), out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting the secured broker's storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client properties a service reads, as THRUSTLINE_KAFKA_* variables, to sign in as {@code user}. */
    Map<String, String> clientEnvironment(String user, String password) {
        return Map.of(
                "THRUSTLINE_KAFKA_BOOTSTRAP", bootstrapServers(),
                "THRUSTLINE_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "THRUSTLINE_KAFKA_SASL_MECHANISM", MECHANISM,
                "THRUSTLINE_KAFKA_SASL_JAAS_CONFIG", jaas(user, password));
    }

    Map<String, String> clientEnvironment(String user) {
        return clientEnvironment(user, users.get(user));
    }

    String adminPassword() {
        return users.get(ADMIN_USER);
    }

    /** An admin client signed in as the super user {@value #ADMIN_USER}. */
    Admin admin() {
        return Admin.create(Map.of(
                "bootstrap.servers", bootstrapServers(),
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(ADMIN_USER, users.get(ADMIN_USER))));
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
