package io.thrustline.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU samples of a JFR recording went, for the threads whose name contains a filter (by default
 * the Kafka Streams threads). Each sample is charged to the innermost frame that falls in a known area
 * (RocksDB, Avro, the record cache, the producer...), so "Avro" means time spent encoding or decoding,
 * whoever called it. Also prints the hottest methods by self time and by our own code, inclusive.
 * Usage: ./thrustline bench profile recording.jfr [threadNameContains] [lastSeconds]: with lastSeconds, only the samples
 * of the recording's last seconds (the warm phase of a run, say).
 */
public final class ProfileBreakdown {

    /** Areas, checked from the leaf of each stack outwards; the first that matches a frame takes the sample. */
    private static final Map<String, Predicate<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("RocksDB (JNI get/put/flush/iterate)", c -> c.startsWith("org.rocksdb."));
        AREAS.put("Avro encode/decode (events, insights, state)", c -> c.startsWith("org.apache.avro.") || c.startsWith("io.apicurio."));
        AREAS.put("state codec (compact, hand-written)", c -> c.startsWith("io.thrustline.streams.state."));
        AREAS.put("rules (io.thrustline.streams.rules)", c -> c.startsWith("io.thrustline.streams.rules."));
        AREAS.put("our processors", c -> c.startsWith("io.thrustline.streams."));
        AREAS.put("Streams record cache", c -> c.contains(".streams.state.internals.NamedCache") || c.contains(".streams.state.internals.ThreadCache")
                || c.contains(".streams.state.internals.Caching"));
        AREAS.put("Streams stores (metering, changelog logging)", c -> c.startsWith("org.apache.kafka.streams.state."));
        AREAS.put("producer (send, batching, transactions)", c -> c.startsWith("org.apache.kafka.clients.producer."));
        AREAS.put("consumer (fetch, deserialize)", c -> c.startsWith("org.apache.kafka.clients.consumer."));
        AREAS.put("network client", c -> c.startsWith("org.apache.kafka.clients.") || c.startsWith("org.apache.kafka.common.network."));
        AREAS.put("ingest service", c -> c.startsWith("io.thrustline.ingest."));
        AREAS.put("reporting service", c -> c.startsWith("io.thrustline.reporting."));
        AREAS.put("HTTP layer (Javalin, Jetty)", c -> c.startsWith("io.javalin.") || c.startsWith("org.eclipse.jetty."));
        AREAS.put("JSON (Jackson)", c -> c.startsWith("com.fasterxml.jackson."));
        AREAS.put("PostgreSQL driver, Jdbi, pool", c -> c.startsWith("org.postgresql.") || c.startsWith("org.jdbi.") || c.startsWith("com.zaxxer."));
        AREAS.put("metrics (Micrometer)", c -> c.startsWith("io.micrometer."));
        AREAS.put("Streams runtime (task, commit, punctuation)", c -> c.startsWith("org.apache.kafka.streams."));
        AREAS.put("Kafka common (records, metrics, compression)", c -> c.startsWith("org.apache.kafka.common."));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ./thrustline bench profile recording.jfr [threadNameContains]");
            System.exit(2);
        }
        String threads = args.length > 1 ? args[1] : "StreamThread";
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        java.time.Instant end = events.stream().map(RecordedEvent::getStartTime).max(java.time.Instant::compareTo).orElse(java.time.Instant.MAX);
        java.time.Instant from = args.length > 2 ? end.minusSeconds(Long.parseLong(args[2])) : java.time.Instant.MIN;
        var areas = new LinkedHashMap<String, Integer>();
        AREAS.keySet().forEach(k -> areas.put(k, 0));
        var selfTime = new TreeMap<String, Integer>();
        var ours = new TreeMap<String, Integer>();
        var areaLeaves = new TreeMap<String, Integer>();
        var byThread = new TreeMap<String, Integer>();
        int samples = 0;
        int other = 0;
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStartTime().isBefore(from)) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            RecordedStackTrace stack = event.getStackTrace();
            if (thread != null && thread.getJavaName() != null) {
                byThread.merge(thread.getJavaName().replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>").replaceAll("\\d+", "N"), 1, Integer::sum);
            }
            if (thread == null || stack == null || thread.getJavaName() == null || !thread.getJavaName().contains(threads)) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            if (!frames.isEmpty()) {
                selfTime.merge(name(frames.get(0)), 1, Integer::sum);
            }
            String area = null;
            var seen = new java.util.HashSet<String>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (area == null) {
                    for (var e : AREAS.entrySet()) {
                        if (e.getValue().test(type)) {
                            area = e.getKey();
                            break;
                        }
                    }
                }
                if (type.startsWith("io.thrustline.") && seen.add(name(frame))) {
                    ours.merge(name(frame), 1, Integer::sum);
                }
            }
            if (area == null) {
                other++;
            } else {
                areas.merge(area, 1, Integer::sum);
                if (!frames.isEmpty()) {
                    areaLeaves.merge(area.split(" ")[0] + ": " + name(frames.get(0)), 1, Integer::sum);
                }
            }
        }
        System.out.printf("%,d CPU samples on threads named *%s*%n%nby area (innermost frame that falls in it):%n", samples, threads);
        int total = Math.max(1, samples);
        areas.forEach((k, v) -> System.out.printf("  %5.1f%%  %s%n", 100.0 * v / total, k));
        System.out.printf("  %5.1f%%  JDK and other%n", 100.0 * other / total);
        int all = byThread.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%nall threads of the process: %,d samples; the busiest:%n", all);
        top(byThread, Math.max(1, all), 12);
        System.out.println("\nhottest methods, self time, with the area they were charged to:");
        top(areaLeaves, total, 30);
        System.out.println("\nour code, inclusive:");
        top(ours, total, 15);
    }

    private static void top(Map<String, Integer> counts, int total, int n) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }
}
