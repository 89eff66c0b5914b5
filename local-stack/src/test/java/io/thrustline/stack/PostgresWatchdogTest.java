package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.LocalPostgres;
import io.thrustline.testing.TestStacks;

/** PostgreSQL is a daemon, not our child: it must still stop when the JVM that started it is killed, and on a normal close. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostgresWatchdogTest {

    @TempDir
    Path dataDir;

    @Test
    void thePostmasterStopsWhenTheJvmThatStartedItIsKilled() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                PostgresInChildJvm.class.getName(), dataDir.toString(), String.valueOf(TestStacks.freePort()))
                .redirectErrorStream(true).start();
        ProcessHandle postmaster;
        try {
            var output = new BufferedReader(new InputStreamReader(child.getInputStream()));
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                // the child's log lines
            }
            assertThat(line).as("the child JVM started PostgreSQL").isEqualTo("ready");
            postmaster = LocalPostgres.postmaster(LocalPostgres.pgData(dataDir)).orElseThrow();

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        assertThat(eventually(Duration.ofSeconds(10), () -> !postmaster.isAlive()))
                .as("postmaster %d outlived the JVM that started it", postmaster.pid()).isTrue();
        assertThat(LeftoverProcesses.of(dataDir)).isEmpty();
        assertThat(Files.readString(dataDir.resolve("logs/postgres.log"))).contains("fast shutdown");
    }

    @Test
    void aNormalCloseStopsTheWatchdogAndThePostmaster() throws Exception {
        ProcessHandle postmaster;
        try (var postgres = LocalPostgres.start(dataDir, TestStacks.freePort())) {
            postmaster = LocalPostgres.postmaster(LocalPostgres.pgData(dataDir)).orElseThrow();
            assertThat(LeftoverProcesses.of(dataDir)).as("the watchdog is running").anyMatch(p -> p.contains("postgres-watchdog"));
        }
        // pg_ctl stop returns once postmaster.pid is gone; the process itself takes a moment longer to exit
        assertThat(eventually(Duration.ofSeconds(5), () -> !postmaster.isAlive())).as("postmaster stopped").isTrue();
        assertThat(eventually(Duration.ofSeconds(5), () -> LeftoverProcesses.of(dataDir).isEmpty()))
                .as("left running: %s", LeftoverProcesses.of(dataDir)).isTrue();
        assertThat(Files.readString(dataDir.resolve("logs/postgres.log"))).doesNotContain("postgres-watchdog");
    }

}
