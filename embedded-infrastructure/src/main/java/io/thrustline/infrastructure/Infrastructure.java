package io.thrustline.infrastructure;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the services run on, all real and all local: PostgreSQL, a Kafka broker, the schema registry and
 * the pipeline's topics, under one data directory. Started in dependency order, stopped in reverse.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final StackConfig config;
    private final RunningParts running = new RunningParts();

    private Infrastructure(StackConfig config) {
        this.config = config;
    }

    public static Infrastructure start(StackConfig config) throws Exception {
        return start(config, List.of());
    }

    /**
     * Starts the infrastructure after checking that its own ports and {@code alsoNeeded} (what the caller will bind
     * next, e.g. the services) are free, so a stack that cannot start refuses before starting anything.
     */
    public static Infrastructure start(StackConfig config, List<NeededPort> alsoNeeded) throws Exception {
        var infrastructure = new Infrastructure(config);
        try {
            infrastructure.startAll(alsoNeeded);
        } catch (Exception | Error e) {
            infrastructure.close();
            throw e;
        }
        return infrastructure;
    }

    private void startAll(List<NeededPort> alsoNeeded) throws Exception {
        Files.createDirectories(config.dataDir());
        running.add(lockDataDir());
        // A run that was killed may have left its registry and PostgreSQL up, on our ports: ours to stop, and only
        // then can the ports be checked. The registry first, as PostgreSQL would wait for its connections to close.
        RegistryProcess.stopLeftover(config.dataDir());
        LocalPostgres.stopLeftover(config.dataDir());
        var needed = new ArrayList<>(StackPorts.infrastructure(config));
        needed.addAll(alsoNeeded);
        PortCheck.requireFree(needed);

        running.add(LocalPostgres.start(config.dataDir(), config.postgresPort()));
        log.info("PostgreSQL ready on port {}", config.postgresPort());
        running.add(KafkaBroker.start(config.dataDir(), config.kafkaPort(), config.kafkaControllerPort()));
        log.info("Kafka ready on {}", config.bootstrapServers());
        running.add(RegistryProcess.start(config, config.jdbcUrl("registry")));
        log.info("schema registry ready on {}", config.registryUrl());
        TopicSetup.ensureTopics(config.bootstrapServers(), config.topicPartitions());
    }

    /** One stack per data directory: a second one would corrupt the first one's broker and database. */
    private AutoCloseable lockDataDir() throws IOException {
        FileChannel channel = FileChannel.open(config.dataDir().resolve("stack.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another Thrustline stack is running on " + config.dataDir()
                    + "; stop it first, or set THRUSTLINE_DATA_DIR to use another directory");
        }
        return () -> {
            lock.release();
            channel.close();
        };
    }

    public StackConfig config() {
        return config;
    }

    /** Stops everything that started, newest first; safe to call more than once. */
    @Override
    public void close() {
        running.close();
    }
}
