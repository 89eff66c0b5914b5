package io.thrustline.reporting;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code ./thrustline export sets|balances|insights [--from T] [--to T] [--format csv|parquet] [--study NAME] [--changed-since CURSOR] [--out FILE]}: the same
 * pseudonymized CSV or Parquet as GET /v1/export, straight from PostgreSQL (THRUSTLINE_DB_* and
 * THRUSTLINE_EXPORT_SECRET as for the service).
 */
public final class ExportCommand {

    private ExportCommand() {}

    public static void main(String[] args) throws IOException {
        try {
            run(args, System.getenv(), System.out);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            System.err.println(e.getMessage()
                    + "\nusage: ./thrustline export sets|balances|insights [--from 2026-11-01T00:00:00Z] [--to ...] [--format csv|parquet] [--study name] [--changed-since cursor] [--out file]");
            System.exit(2);
        }
    }

    /** Exports to {@code --out}, or to {@code stdout}; returns the number of rows. */
    public static long run(String[] args, java.util.Map<String, String> env, java.io.OutputStream stdout) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("name a dataset");
        }
        ResearchExport.Dataset dataset = ResearchExport.Dataset.parse(args[0]);
        Instant from = null;
        Instant to = null;
        Path out = null;
        String format = "csv";
        String study = null;
        String changedSince = null;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--from" -> from = OffsetDateTime.parse(args[i + 1]).toInstant();
                case "--to" -> to = OffsetDateTime.parse(args[i + 1]).toInstant();
                case "--out" -> out = Path.of(args[i + 1]);
                case "--format" -> format = args[i + 1];
                case "--study" -> study = args[i + 1];
                case "--changed-since" -> changedSince = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet");
        }
        ReportingConfig config = ReportingConfig.fromEnv(env);
        try (var dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(config.jdbcUrl());
            dataSource.setUsername(config.dbUser());
            dataSource.setPassword(config.dbPassword());
            dataSource.setMaximumPoolSize(1);
            var export = new ResearchExport(Jdbi.create(dataSource), new Pseudonyms(config.exportSecret())).forStudy(study)
                    .changedSince(changedSince);
            String nextCursor = export.cursorNow();
            var stream = new java.io.BufferedOutputStream(out == null ? stdout : Files.newOutputStream(out), 1 << 16);
            long rows;
            if (format.equals("parquet")) {
                rows = export.writeParquet(dataset, from, to, stream);
            } else {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                rows = export.writeCsv(dataset, from, to, writer);
                writer.flush();
            }
            stream.flush();
            if (out != null) {
                stream.close();
            }
            System.err.println(rows + " rows of " + dataset.name().toLowerCase() + (out == null ? "" : " written to " + out)
                    + "; next time, --changed-since " + nextCursor + " gets only what changed since");
            return rows;
        }
    }

}
