package io.thrustline.infrastructure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Apicurio Registry as a child process, storing schemas in PostgreSQL so the ids already written into
 * records stay valid across restarts. The child runs under a small shell watchdog that stops it as soon as
 * our end of its stdin closes, which happens however this JVM ends, kill -9 included.
 */
public final class RegistryProcess implements AutoCloseable {

    private static final String MARKER = "quarkus-run.jar";

    private final Process watchdog;
    private final OutputStream lifeline;
    private final Path pidFile;

    private RegistryProcess(Process watchdog, Path pidFile) {
        this.watchdog = watchdog;
        this.lifeline = watchdog.getOutputStream();
        this.pidFile = pidFile;
    }

    public static RegistryProcess start(StackConfig config, String jdbcUrl) throws IOException, InterruptedException {
        Path runJar = config.registryHome().resolve(MARKER);
        if (!Files.isRegularFile(runJar)) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + config.registryHome()
                    + "; build first (mvn -DskipTests package) or set THRUSTLINE_REGISTRY_HOME");
        }
        Path pidFile = pidFile(config.dataDir());
        stopLeftover(config.dataDir());
        Path log = config.dataDir().resolve("logs/registry.log");
        Files.createDirectories(log.getParent());

        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                // Start the registry, then block on stdin; EOF means our parent is gone, so stop the registry.
                // INT and HUP are ignored: Ctrl-C in a terminal reaches the whole process group, and a watchdog
                // killed by it would leave the registry orphaned; the JVM's orderly shutdown closes the pipe instead.
                "trap '' INT HUP; \"$@\" & child=$!; echo $child > '" + pidFile + "'; cat > /dev/null; kill $child 2>/dev/null; wait $child",
                "registry-watchdog",
                java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + config.registryPort(),
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + config.registryManagementPort(),
                "-jar", runJar.toString()));
        var builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.put("APICURIO_STORAGE_KIND", "sql");
        env.put("APICURIO_STORAGE_SQL_KIND", "postgresql");
        env.put("APICURIO_DATASOURCE_URL", jdbcUrl);
        env.put("APICURIO_DATASOURCE_USERNAME", LocalPostgres.USER);
        env.put("APICURIO_DATASOURCE_PASSWORD", LocalPostgres.PASSWORD);
        var registry = new RegistryProcess(builder.start(), pidFile);
        try {
            registry.awaitReady(config.registryManagementPort(), Duration.ofSeconds(90), log);
            registry.requireAnsweringOn(List.of(config.registryPort(), config.registryManagementPort()), PortHolders.linux());
            requireBackwardCompatibility(config.registryUrl());
        } catch (RuntimeException | InterruptedException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    /**
     * Every schema change must let new readers read what was written before (BACKWARD): a new field needs a default.
     * The registry refuses a new version that breaks this (HTTP 409), so an incompatible producer fails at its first send
     * instead of writing events that consumers cannot read. A production registry needs the same global rule
     * (docs/operations.md).
     */
    public static void requireBackwardCompatibility(String registryUrl) throws InterruptedException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String rules = registryUrl + "/apis/registry/v3/admin/rules";
        String body = "{\"ruleType\": \"COMPATIBILITY\", \"config\": \"BACKWARD\"}";
        try {
            int created = client.send(HttpRequest.newBuilder(URI.create(rules)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            if (created == 409) { // kept from an earlier start: make sure it says BACKWARD
                created = client.send(HttpRequest.newBuilder(URI.create(rules + "/COMPATIBILITY")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            if (created / 100 != 2) {
                throw new IllegalStateException("the schema registry refused its BACKWARD compatibility rule: HTTP " + created);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not set the schema registry's compatibility rule: " + e, e);
        }
    }

    public static Path pidFile(Path dataDir) {
        return dataDir.resolve("registry.pid");
    }

    /** The registry of a stack killed before its watchdog acted (or of a watchdog that was itself killed). */
    public static void stopLeftover(Path dataDir) {
        OrphanedProcesses.find(pidFile(dataDir), MARKER)
                .ifPresent(p -> OrphanedProcesses.stop(p, "the schema registry", Duration.ofSeconds(10)));
    }

    /**
     * Fails unless our registry child is alive and is the process listening on {@code ports}: a health check
     * alone could have been answered by another registry holding the port while ours failed to bind it.
     */
    public void requireAnsweringOn(List<Integer> ports, PortHolders holders) {
        ProcessHandle registry = OrphanedProcesses.find(pidFile, MARKER)
                .filter(p -> watchdog.descendants().anyMatch(d -> d.pid() == p.pid()))
                .orElseThrow(() -> new IllegalStateException("the schema registry this stack started (" + pidFile
                        + ") is not running, yet something answered its health check; another registry may hold its ports."
                        + " Set THRUSTLINE_REGISTRY_PORT and THRUSTLINE_REGISTRY_MANAGEMENT_PORT to free ports."));
        for (int port : ports) {
            List<Long> holding = holders.pidsOf(port);
            // An empty answer means /proc could not tell; the liveness check above is then all we have.
            if (!holding.isEmpty() && !holding.contains(registry.pid())) {
                throw new IllegalStateException("port " + port + " is held by " + String.join(", ", holders.describe(port))
                        + ", not by the schema registry this stack started (pid " + registry.pid() + "): another process"
                        + " answers there. Stop it, or set THRUSTLINE_REGISTRY_PORT / THRUSTLINE_REGISTRY_MANAGEMENT_PORT to free ports.");
            }
        }
    }

    private void awaitReady(int managementPort, Duration timeout, Path log) throws InterruptedException {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!watchdog.isAlive()) {
                throw new IllegalStateException("the schema registry exited while starting; see " + log);
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the schema registry was not ready after " + timeout.toSeconds() + " s; see " + log);
    }

    @Override
    public void close() {
        try {
            lifeline.close(); // the watchdog sees EOF and stops the registry
        } catch (IOException ignored) {
            // the watchdog is already gone
        }
        try {
            if (!watchdog.waitFor(20, TimeUnit.SECONDS)) {
                watchdog.descendants().forEach(ProcessHandle::destroyForcibly);
                watchdog.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // A watchdog that was itself killed (a signal to the whole process group) leaves its registry behind.
        OrphanedProcesses.find(pidFile, MARKER).ifPresent(p -> OrphanedProcesses.stop(p, "the schema registry", Duration.ofSeconds(10)));
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale pid file is checked against the live process next time
        }
    }
}
