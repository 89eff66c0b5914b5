package io.thrustline.reporting;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./thrustline export}: the same pseudonymized CSV or Parquet as {@code GET /v1/export}, straight from PostgreSQL
 * ({@code THRUSTLINE_DB_*} and {@code THRUSTLINE_EXPORT_SECRET} as for the service). Options by picocli: {@code --help},
 * {@code --opt=value}, and a one-line error instead of a stack trace.
 */
@Command(name = "./thrustline export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Pseudonymized research export from the reporting database, as GET /v1/export gives it (docs/export-dictionary.md).")
public final class ExportCommand implements Callable<Long> {

    @Parameters(index = "0", paramLabel = "DATASET", description = "sets, balances or insights")
    String dataset;

    @Option(names = "--from", paramLabel = "TIME", description = "from this time on (ISO-8601 with offset), inclusive")
    OffsetDateTime from;

    @Option(names = "--to", paramLabel = "TIME", description = "before this time, exclusive")
    OffsetDateTime to;

    @Option(names = "--format", paramLabel = "csv|parquet", description = "csv (default) or parquet")
    String format = "csv";

    @Option(names = "--study", paramLabel = "NAME", description = "this study's own pseudonyms, which no other study's export joins")
    String study;

    @Option(names = "--changed-since", paramLabel = "CURSOR", description = "only rows stored or changed since the cursor an earlier export printed")
    String changedSince;

    @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
    Path out;

    private final Map<String, String> env;
    private final OutputStream stdout;
    private final PrintWriter stderr;

    ExportCommand(Map<String, String> env, OutputStream stdout, PrintWriter stderr) {
        this.env = env;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        var err = new PrintWriter(System.err, true);
        System.exit(commandLine(System.getenv(), System.out, err).execute(args));
    }

    /** Exports to {@code --out}, or to {@code stdout}; returns the number of rows. */
    public static long run(String[] args, Map<String, String> env, OutputStream stdout) {
        var err = new PrintWriter(System.err, true);
        var command = commandLine(env, stdout, err);
        int status = command.execute(args);
        if (status != 0) {
            throw new IllegalArgumentException("./thrustline export " + String.join(" ", args) + " exited " + status);
        }
        return command.getExecutionResult();
    }

    static CommandLine commandLine(Map<String, String> env, OutputStream stdout, PrintWriter stderr) {
        var command = new CommandLine(new ExportCommand(env, stdout, stderr)).setErr(stderr);
        // A database that is down or refuses us is one line for the operator, not a stack trace.
        command.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("thrustline export: " + e.getMessage());
            return 1;
        });
        return command;
    }

    @Override
    public Long call() throws IOException {
        ResearchExport.Dataset what = ResearchExport.Dataset.parse(dataset);
        if (!format.equals("csv") && !format.equals("parquet")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--format must be csv or parquet");
        }
        Instant fromTime = from == null ? null : from.toInstant();
        Instant toTime = to == null ? null : to.toInstant();
        ReportingConfig config = ReportingConfig.fromEnv(env);
        try (var dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(config.jdbcUrl());
            dataSource.setUsername(config.dbUser());
            dataSource.setPassword(config.dbPassword());
            dataSource.setMaximumPoolSize(1);
            var export = new ResearchExport(Jdbi.create(dataSource), new Pseudonyms(config.exportSecret())).forStudy(study)
                    .changedSince(changedSince);
            String nextCursor = export.cursorNow();
            var stream = new BufferedOutputStream(out == null ? stdout : Files.newOutputStream(out), 1 << 16);
            long rows;
            if (format.equals("parquet")) {
                rows = export.writeParquet(what, fromTime, toTime, stream);
            } else {
                Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                rows = export.writeCsv(what, fromTime, toTime, writer);
                writer.flush();
            }
            stream.flush();
            if (out != null) {
                stream.close();
            }
            stderr.println(rows + " rows of " + what.name().toLowerCase() + (out == null ? "" : " written to " + out)
                    + "; next time, --changed-since " + nextCursor + " gets only what changed since");
            return rows;
        }
    }
}
