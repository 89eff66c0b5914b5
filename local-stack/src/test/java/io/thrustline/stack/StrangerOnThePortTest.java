package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.KafkaBroker;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.testing.TestStacks;

/**
 * A server of someone else's answering on our port (started after the port check, or on a port the check could
 * not see) must never be taken for ours. Each check is also shown to accept the server that is ours.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StrangerOnThePortTest {

    @TempDir
    Path ours;

    @TempDir
    Path strangers;

    @Test
    void ourPostgresRefusesToRunOnAStrangersPostgres() throws Exception {
        int port = TestStacks.freePort();
        Path strangerData = strangers.resolve("pg");
        try (var stranger = EmbeddedPostgres.builder().setDataDirectory(strangerData).setCleanDataDirectory(false)
                .setPort(port).setServerConfig("listen_addresses", "127.0.0.1").start()) {
            // Exactly what used to happen: ours cannot bind, the stranger answers, and the stack carried on with it.
            assertThatThrownBy(() -> LocalPostgres.start(ours, port).close())
                    .hasMessageContaining("the PostgreSQL answering on 127.0.0.1:" + port + " serves " + strangerData.toRealPath())
                    .hasMessageContaining("not this stack's " + LocalPostgres.pgData(ours).toRealPath())
                    .hasMessageContaining("THRUSTLINE_DB_PORT");
            assertThat(TestStacks.eventually(Duration.ofSeconds(10), () -> LeftoverProcesses.of(ours).isEmpty()))
                    .as("left running: %s", LeftoverProcesses.of(ours)).isTrue();

            assertThatCode(() -> LocalPostgres.requireOurServer(port, strangerData))
                    .as("the same check accepts the server that does serve the directory").doesNotThrowAnyException();
            try (var c = stranger.getPostgresDatabase().getConnection()) {
                assertThat(c.isValid(5)).as("the stranger is left alone").isTrue();
            }
        }
    }

    @Test
    void aKafkaBrokerOfAnotherClusterIsNotOurs() throws Exception {
        int port = TestStacks.freePort();
        try (var stranger = KafkaBroker.start(strangers, port, TestStacks.freePort())) {
            String bootstrap = "127.0.0.1:" + port;
            Path ourLogDir = Files.createDirectories(ours.resolve("kafka"));
            String ourClusterId = Uuid.randomUuid().toString();
            Files.writeString(ourLogDir.resolve("meta.properties"), "node.id=1\nversion=1\ncluster.id=" + ourClusterId + "\n");

            assertThatThrownBy(() -> KafkaBroker.requireOurCluster(bootstrap, ourLogDir))
                    .hasMessageContaining("the Kafka broker answering on " + bootstrap + " has cluster id")
                    .hasMessageContaining("but this stack's broker has " + ourClusterId)
                    .hasMessageContaining("THRUSTLINE_KAFKA_PORT");
            assertThatCode(() -> KafkaBroker.requireOurCluster(bootstrap, strangers.resolve("kafka")))
                    .as("the same check accepts the broker whose storage it is").doesNotThrowAnyException();
        }
    }

}
