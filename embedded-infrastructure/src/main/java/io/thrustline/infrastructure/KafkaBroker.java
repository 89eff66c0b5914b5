package io.thrustline.infrastructure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** A real single-node Kafka broker in KRaft mode, running inside this JVM, with its data under one directory. */
public final class KafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;

    private KafkaBroker(KafkaRaftServer server) {
        this.server = server;
    }

    public static KafkaBroker start(Path dataDir, int port, int controllerPort) throws IOException {
        Path logDir = dataDir.resolve("kafka");
        Files.createDirectories(logDir);
        Path propertiesFile = dataDir.resolve("kafka-server.properties");
        Properties props = properties(logDir, port, controllerPort);
        try (var out = Files.newBufferedWriter(propertiesFile)) {
            props.store(out, "written by the Thrustline local stack at every start");
        }
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(propertiesFile);
        }
        var server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
        try {
            server.startup(); // returns once broker and controller are serving
        } catch (RuntimeException e) {
            // A half-started broker leaves non-daemon threads behind that would keep the JVM alive.
            server.shutdown();
            server.awaitShutdown();
            throw new IllegalStateException("Kafka broker did not start on port " + port + " (controller " + controllerPort
                    + "); is another process using them? Set THRUSTLINE_KAFKA_PORT or THRUSTLINE_KAFKA_CONTROLLER_PORT to move them.", e);
        }
        var broker = new KafkaBroker(server);
        try {
            requireOurCluster("127.0.0.1:" + port, logDir);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * Fails unless the broker answering on {@code bootstrap} belongs to the cluster whose storage is {@code logDir}:
     * the cluster id it reports must be the one formatted into our meta.properties.
     */
    public static void requireOurCluster(String bootstrap, Path logDir) {
        String ours = clusterId(logDir);
        String answering;
        try (var admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            answering = admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not ask the Kafka broker on " + bootstrap + " for its cluster id (" + e
                    + "); cannot confirm it is the one this stack started. Set THRUSTLINE_KAFKA_PORT to a free port.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the Kafka broker on " + bootstrap, e);
        }
        if (!ours.equals(answering)) {
            throw new IllegalStateException("the Kafka broker answering on " + bootstrap + " has cluster id " + answering
                    + ", but this stack's broker has " + ours + " (" + logDir.resolve("meta.properties") + "): another broker"
                    + " holds the port. Stop it, or set THRUSTLINE_KAFKA_PORT to a free port.");
        }
    }

    private static String clusterId(Path logDir) {
        var meta = new Properties();
        try (var in = Files.newBufferedReader(logDir.resolve("meta.properties"))) {
            meta.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Kafka cluster id from " + logDir.resolve("meta.properties"), e);
        }
        String id = meta.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(logDir.resolve("meta.properties") + " has no cluster.id");
        }
        return id.trim();
    }

    private static Properties properties(Path logDir, int port, int controllerPort) {
        var p = singleNode(logDir, controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("num.partitions", "3");
        return p;
    }

    /**
     * What every one-node KRaft broker on this machine shares, whatever its listeners (the tests' secured broker
     * adds SASL ones): broker and controller in one process, its data under {@code logDir}.
     */
    public static Properties singleNode(Path logDir, int controllerPort) {
        var p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and fewer partitions start faster.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        // The default 128 MiB dedupe buffer would need a much larger heap for no benefit here.
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        return p;
    }

    private static void format(Path propertiesFile) {
        var output = new ByteArrayOutputStream();
        int status;
        try (var out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString()}, out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting Kafka storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
