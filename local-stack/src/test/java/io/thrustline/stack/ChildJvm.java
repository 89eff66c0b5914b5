package io.thrustline.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class in a JVM of its own, on the local stack's runtime classpath, under a small shell watchdog that
 * kills it (-9) as soon as our end of its stdin closes: however the test JVM ends, kill -9 included, the child
 * does not outlive it. {@link #kill()} is the operator's {@code kill -9} of the JVM itself.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process watchdog;
    private final OutputStream lifeline;
    private final ProcessHandle jvm;
    private final Path log;

    private ChildJvm(String name, Process watchdog, ProcessHandle jvm, Path log) {
        this.name = name;
        this.watchdog = watchdog;
        this.lifeline = watchdog.getOutputStream();
        this.jvm = jvm;
        this.log = log;
    }

    /** The classpath the local stack runs from: its classes and its runtime dependencies (written by the build). */
    static String stackClasspath() throws IOException {
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path listed = Path.of("target/classpath.txt");
        if (!Files.isRegularFile(listed)) {
            throw new IllegalStateException(listed.toAbsolutePath() + " is missing: build local-stack first (mvn -DskipTests package)");
        }
        var entries = new ArrayList<String>();
        entries.add(classes.toString());
        for (String entry : Files.readString(listed).trim().split(java.io.File.pathSeparator)) {
            entries.add(ownModule(entry));
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * A project module's snapshot jar in the local Maven repository (when local-stack is built alone) is replaced by
     * that module's classes in this checkout: the repository is shared, and another checkout's install may have
     * overwritten the jar with other code.
     */
    private static String ownModule(String entry) {
        var m = java.util.regex.Pattern.compile(".*/io/thrustline/([a-z-]+)/[^/]+/\\1-[^/]+\\.jar").matcher(entry);
        if (m.matches()) {
            Path own = Path.of("..", m.group(1), "target", "classes").toAbsolutePath().normalize();
            if (Files.isDirectory(own)) {
                return own.toString();
            }
        }
        return entry;
    }

    static ChildJvm start(String name, String mainClass, List<String> args, Map<String, String> env, Path logDir, String heap)
            throws IOException, InterruptedException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of("/bin/sh", "-c",
                "trap '' INT HUP; \"$@\" & child=$!; cat > /dev/null; kill -9 $child 2>/dev/null; wait $child",
                "watchdog-" + name, java, "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-XX:+ExitOnOutOfMemoryError"));
        if (Runtime.version().feature() >= 24) {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
        }
        command.addAll(List.of("-Dthrustline.child=" + name, "-cp", stackClasspath(), mainClass));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("THRUSTLINE_")); // only what the caller gives
        builder.environment().putAll(env);
        Process watchdog = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var child = watchdog.children().filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.endsWith("java")).orElse(false)).findFirst();
            if (child.isPresent()) {
                return new ChildJvm(name, watchdog, child.get(), log);
            }
            if (!watchdog.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        watchdog.getOutputStream().close();
        watchdog.destroyForcibly();
        throw new IllegalStateException(name + ": its JVM did not start; see " + log);
    }

    String name() {
        return name;
    }

    long pid() {
        return jvm.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return jvm.isAlive();
    }

    /** kill -9 of the JVM (SIGKILL: no shutdown hook, no leaving the group, no closing of transactions). */
    void kill() throws InterruptedException {
        jvm.destroyForcibly();
        jvm.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }

    /** Stops the JVM (-9 by its watchdog) and the watchdog; safe to call more than once. */
    @Override
    public void close() {
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // the watchdog is gone already
        }
        try {
            if (!watchdog.waitFor(10, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
                watchdog.destroyForcibly();
                watchdog.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (jvm.isAlive()) {
            jvm.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + jvm.pid() + ")";
    }
}
