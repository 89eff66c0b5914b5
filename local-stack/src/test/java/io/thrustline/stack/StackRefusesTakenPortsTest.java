package io.thrustline.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.infrastructure.PortCheck;
import io.thrustline.infrastructure.PortHolders;
import io.thrustline.infrastructure.NeededPort;
import io.thrustline.infrastructure.PortsInUseException;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.infrastructure.StackPorts;
import io.thrustline.testing.TestStacks;

/**
 * A stack whose port is taken refuses to start before starting anything, and says which port, which variable
 * moves it, and who holds it. Each port is occupied by this JVM, so the holder named must be this JVM.
 */
// Without the check, start hangs in a PostgreSQL handshake with the squatter, uninterruptibly: time out from outside.
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackRefusesTakenPortsTest {

    private static final long THIS_JVM = ProcessHandle.current().pid();

    @TempDir
    Path dataDir;

    @Test
    void aTakenPostgresPortIsNamedWithItsVariableAndHolder() throws Exception {
        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        try (var squatter = listenOn("127.0.0.1", config.postgresPort())) {
            assertThatThrownBy(() -> LocalStack.start(config).close())
                    .isInstanceOf(PortsInUseException.class)
                    .hasMessageContaining("port " + config.postgresPort() + " for PostgreSQL on 127.0.0.1")
                    .hasMessageContaining("THRUSTLINE_DB_PORT")
                    .hasMessageContaining("pid " + THIS_JVM + " (");
        }
        assertNothingWasStarted();
    }

    @Test
    void aTakenKafkaPortIsRefusedBeforePostgresStarts() throws Exception {
        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        try (var squatter = listenOn("127.0.0.1", config.kafkaPort())) {
            assertThatThrownBy(() -> LocalStack.start(config).close())
                    .isInstanceOf(PortsInUseException.class)
                    .hasMessageContaining("port " + config.kafkaPort() + " for Kafka on 127.0.0.1")
                    .hasMessageContaining("THRUSTLINE_KAFKA_PORT")
                    .hasMessageContaining("pid " + THIS_JVM + " (");
        }
        assertNothingWasStarted();
    }

    @Test
    void aTakenServicePortIsCheckedOnEveryInterfaceBeforeTheInfrastructureStarts() throws Exception {
        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        // Held on loopback only: the service binds every interface, which includes loopback.
        try (var squatter = listenOn("127.0.0.1", config.ingestPort())) {
            assertThatThrownBy(() -> LocalStack.start(config).close())
                    .isInstanceOf(PortsInUseException.class)
                    .hasMessageContaining("port " + config.ingestPort() + " for ingest-service on all interfaces")
                    .hasMessageContaining("THRUSTLINE_INGEST_PORT")
                    .hasMessageContaining("pid " + THIS_JVM + " (")
                    .satisfies(e -> assertThat(((PortsInUseException) e).ports()).containsExactly(config.ingestPort()));
        }
        assertNothingWasStarted();
    }

    @Test
    void oneProblemPerPortAndPortsConfiguredTwiceAreRefused() throws Exception {
        var loopback = InetAddress.getByName("127.0.0.1");
        try (var first = listenOn("127.0.0.1", 0); var second = listenOn("127.0.0.1", 0)) {
            var free = List.of(new NeededPort(first.getLocalPort(), loopback, "A", "VAR_A"),
                    new NeededPort(second.getLocalPort(), loopback, "B", "VAR_B"),
                    new NeededPort(second.getLocalPort(), loopback, "C", "VAR_C"));
            assertThatThrownBy(() -> new PortCheck(PortHolders.linux()).check(free))
                    .isInstanceOf(PortsInUseException.class)
                    .hasMessageContaining("port " + second.getLocalPort() + " is configured for both B (VAR_B) and C (VAR_C)")
                    .hasMessageContaining("port " + first.getLocalPort() + " for A on 127.0.0.1 is in use by pid " + THIS_JVM)
                    .hasMessageContaining("port " + second.getLocalPort() + " for B on 127.0.0.1 is in use by pid " + THIS_JVM);
        }
    }

    @Test
    void freePortsPass() throws Exception {
        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        var all = new java.util.ArrayList<>(StackPorts.infrastructure(config));
        all.addAll(StackPorts.services(config));
        new PortCheck(PortHolders.linux()).check(all);
    }

    @Test
    void theHolderIsUnknownRatherThanAnErrorWithoutProc(@TempDir Path noProc) throws Exception {
        try (var squatter = listenOn("127.0.0.1", 0)) {
            var taken = List.of(new NeededPort(squatter.getLocalPort(), InetAddress.getByName("127.0.0.1"), "A", "VAR_A"));
            assertThatThrownBy(() -> new PortCheck(new PortHolders(noProc)).check(taken))
                    .isInstanceOf(PortsInUseException.class)
                    .hasMessageContaining("is in use by another process (could not tell which); stop that process or set VAR_A");
        }
    }

    private void assertNothingWasStarted() throws Exception {
        assertThat(Files.exists(LocalPostgres.pgData(dataDir))).as("PostgreSQL was never initialised or started").isFalse();
        assertThat(TestStacks.eventually(java.time.Duration.ofSeconds(10), () -> LeftoverProcesses.of(dataDir).isEmpty()))
                .as("left running: %s", LeftoverProcesses.of(dataDir)).isTrue();
    }

    private static ServerSocket listenOn(String address, int port) throws IOException {
        var socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
        return socket;
    }
}
