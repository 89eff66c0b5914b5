package io.thrustline.bench;

import io.thrustline.reporting.Pseudonyms;
import io.thrustline.http.Credentials;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.reporting.ResearchExport;
import io.thrustline.schemas.SetLogged;
import io.thrustline.schemas.Topics;
import io.thrustline.schemas.TrainingEvent;
import io.thrustline.stack.LocalStack;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import io.thrustline.infrastructure.Infrastructure;
import io.thrustline.infrastructure.StackConfig;

/**
 * The reporting sink (training.events.v1 -> sets table) against PostgreSQL's own COPY FROM STDIN of the
 * same rows into the same table; then the research CSV export against COPY (SELECT ...) TO STDOUT, with
 * the heap's peak growth during the export. Usage: ./thrustline bench reporting [sets] [rounds]
 */
public final class ReportingThroughputBenchmark {

    private static final String COLUMNS = "event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, controlled_reps, rpe, notes, source, received_at";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        StackConfig config = BenchStack.config(BenchStack.scratch("reporting"));
        try (var infrastructure = Infrastructure.start(config)) {
            List<TrainingEvent> events = new ArrayList<>(n);
            BenchmarkGym.events(n / 40 + 1, 3, 7).stream().filter(e -> e.getPayload() instanceof SetLogged).limit(n).forEach(events::add);
            BenchStack.produce(config, events);
            String csv = copyText(events);
            System.out.printf("%n%,d sets on %s%n", events.size(), Topics.EVENTS);
            var sinkRatios = new ArrayList<Double>();
            for (int round = 1; round <= rounds; round++) {
                // Flyway creates the tables: start (and stop) the service once before the first COPY.
                if (round == 1) {
                    try (var ignored = ReportingService.start(reportingConfig(config, "bench-warm"))) {
                        waitForCount(config, events.size());
                    }
                }
                truncate(config);
                long began = System.nanoTime();
                try (Connection c = connect(config)) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy sets (" + COLUMNS + ") from stdin with (format csv)", new StringReader(csv));
                }
                double copy = events.size() / ((System.nanoTime() - began) / 1e9);
                truncate(config);
                double sink;
                try (var service = ReportingService.start(reportingConfig(config, "bench-sink-" + round))) {
                    // Timed from the first stored row: the consumer joining its group is start-up, not throughput.
                    long first = waitForCount(config, 1);
                    long t0 = System.nanoTime();
                    waitForCount(config, events.size());
                    sink = (events.size() - first) / ((System.nanoTime() - t0) / 1e9);
                }
                sinkRatios.add(sink / copy);
                System.out.printf("round %d: COPY FROM STDIN %,.0f rows/s, sink %,.0f rows/s, ratio %.2f%n", round, copy, sink, sink / copy);
            }
            System.out.println("sink / COPY: " + Ratios.summary(sinkRatios) + " (target >= 0.5)");

            var export = new ResearchExport(Jdbi.create(config.jdbcUrl("thrustline"), "thrustline", "thrustline"),
                    new Pseudonyms("bench-export-secret-0123456789"));
            // One export first that is not counted: over three rounds the export went from 66,000 to 136,000 rows/s as
            // the JIT compiled it, so the first round measured compilation more than the export.
            long warmUp = System.nanoTime();
            long warmRows = export.writeCsv(ResearchExport.Dataset.SETS, null, null, Writer.nullWriter());
            System.out.printf("warm-up, not counted: CSV export %,.0f rows/s%n", warmRows / ((System.nanoTime() - warmUp) / 1e9));
            var exportRatios = new ArrayList<Double>();
            for (int round = 1; round <= rounds; round++) {
                long began = System.nanoTime();
                try (Connection c = connect(config)) {
                    c.unwrap(PGConnection.class).getCopyAPI().copyOut("copy (select " + COLUMNS.replace(", notes", "")
                            + " from sets order by performed_at, event_id) to stdout with (format csv, header)", OutputStream.nullOutputStream());
                }
                double copyOut = events.size() / ((System.nanoTime() - began) / 1e9);
                began = System.nanoTime();
                long rows = export.writeCsv(ResearchExport.Dataset.SETS, null, null, Writer.nullWriter());
                double csvRate = rows / ((System.nanoTime() - began) / 1e9);
                long retained = retainedDuringExport(export);
                exportRatios.add(csvRate / copyOut);
                System.out.printf("round %d: COPY TO STDOUT %,.0f rows/s, CSV export %,.0f rows/s, ratio %.2f; heap retained while exporting %,d rows: at most %+,d KB%n",
                        round, copyOut, csvRate, csvRate / copyOut, rows, retained >> 10);
            }
            System.out.println("export / COPY TO: " + Ratios.summary(exportRatios) + " (target >= 0.5)");
        }
    }

    /**
     * Exports again, forcing a collection every 50,000 rows and keeping the largest heap still in use after
     * it, relative to before the export: what the export holds on to, garbage excluded. Flat means it does
     * not grow with the rows.
     */
    private static long retainedDuringExport(ResearchExport export) {
        System.gc();
        long before = usedHeap();
        long[] worst = {0};
        var sampling = new Writer() {
            long lines;

            @Override
            public void write(char[] buffer, int offset, int length) {
                for (int i = offset; i < offset + length; i++) {
                    if (buffer[i] == '\n' && ++lines % 50_000 == 0) {
                        System.gc();
                        worst[0] = Math.max(worst[0], usedHeap() - before);
                    }
                }
            }

            @Override
            public void write(int c) {
                write(new char[] {(char) c}, 0, 1);
            }

            @Override
            public void write(String text) {
                write(text.toCharArray(), 0, text.length());
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        export.writeCsv(ResearchExport.Dataset.SETS, null, null, sampling);
        return worst[0];
    }

    private static ReportingConfig reportingConfig(StackConfig config, String group) {
        return ReportingConfig.local(config.bootstrapServers(), config.registryUrl(), group, config.jdbcUrl("thrustline"), "thrustline",
                "thrustline", Credentials.DEMO_REPORTING_TOKENS, "bench-export-secret-0123456789");
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Connection connect(StackConfig config) throws Exception {
        return DriverManager.getConnection(config.jdbcUrl("thrustline"), "thrustline", "thrustline");
    }

    private static void truncate(StackConfig config) throws Exception {
        try (Connection c = connect(config); var st = c.createStatement()) {
            st.execute("truncate sets");
        }
    }

    /** Waits until the sets table holds at least {@code expected} rows; returns how many it holds then. */
    private static long waitForCount(StackConfig config, int expected) throws Exception {
        try (Connection c = connect(config); var st = c.prepareStatement("select count(*) from sets")) {
            while (true) {
                try (var rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= expected) {
                        return rs.getLong(1);
                    }
                }
                Thread.sleep(20);
            }
        }
    }

    /** The same rows as the sink writes, as COPY's CSV. */
    private static String copyText(List<TrainingEvent> events) {
        var out = new StringBuilder(events.size() * 180);
        for (TrainingEvent e : events) {
            SetLogged s = (SetLogged) e.getPayload();
            out.append(e.getEventId()).append(',').append(e.getAthleteId()).append(',').append(s.getSessionId()).append(',')
                    .append(s.getPerformedAt()).append(',').append(s.getExercise()).append(',').append(s.getSide() == null ? "" : s.getSide())
                    .append(',').append(s.getReps()).append(',').append(s.getLoadKg()).append(',')
                    .append(s.getControlledReps() == null ? "" : s.getControlledReps()).append(',').append(s.getRpe() == null ? "" : s.getRpe())
                    .append(",,").append(e.getSource()).append(',').append(e.getReceivedAt()).append('\n');
        }
        return out.toString();
    }

}
