package io.thrustline.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * The researcher's CSV exports of sets, balances and insights (docs/export-dictionary.md). Rows stream from
 * a PostgreSQL cursor straight to the writer, so memory stays flat however many there are. Client ids
 * become pseudonyms; free-text notes are never exported.
 */
public final class ResearchExport {

    public enum Dataset {
        SETS("""
                select event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, controlled_reps, rpe, source, received_at
                  from sets
                 where (cast(:from as timestamptz) is null or performed_at >= cast(:from as timestamptz))
                   and (cast(:to as timestamptz) is null or performed_at < cast(:to as timestamptz))
                 order by performed_at, event_id
                """,
                List.of("event", "athlete", "session", "performed_at", "exercise", "side", "reps", "load_kg", "controlled_reps", "rpe",
                        "source", "received_at")),
        BALANCES("""
                select athlete_id, session_id, exercise, session_date, left_volume, right_volume, left_reps, right_reps, asymmetry_pct,
                       weaker_side, loaded
                  from session_balances
                 where (cast(:from as timestamptz) is null or session_date >= cast(:from as timestamptz))
                   and (cast(:to as timestamptz) is null or session_date < cast(:to as timestamptz))
                 order by session_date, athlete_id, session_id, exercise
                """,
                List.of("athlete", "session", "exercise", "session_date", "left_volume", "right_volume", "left_reps", "right_reps",
                        "asymmetry_pct", "weaker_side", "loaded")),
        INSIGHTS("""
                select insight_id, athlete_id, session_id, rule, severity, exercise, side, detected_at, metrics, trigger_event_id
                  from insights
                 where (cast(:from as timestamptz) is null or detected_at >= cast(:from as timestamptz))
                   and (cast(:to as timestamptz) is null or detected_at < cast(:to as timestamptz))
                 order by detected_at, insight_id
                """,
                List.of("insight", "athlete", "session", "rule", "severity", "exercise", "side", "detected_at", "metrics", "trigger_event"));

        final String sql;
        final List<String> columns;

        Dataset(String sql, List<String> columns) {
            this.sql = sql;
            this.columns = columns;
        }

        static Dataset parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("export one of sets, balances, insights; not '" + name + "'");
            }
        }
    }

    private final Jdbi jdbi;
    private final Pseudonyms pseudonyms;

    public ResearchExport(Jdbi jdbi, Pseudonyms pseudonyms) {
        this.jdbi = jdbi;
        this.pseudonyms = pseudonyms;
    }

    /** Writes the header and every row between from (inclusive) and to (exclusive); returns the row count. */
    public long writeCsv(Dataset dataset, Instant from, Instant to, Writer out) {
        return jdbi.inTransaction(handle -> { // a cursor needs a transaction in PostgreSQL
            write(out, String.join(",", dataset.columns));
            try (var rows = handle.createQuery(dataset.sql).bind("from", from).bind("to", to).setFetchSize(2000)
                    .map((rs, ctx) -> line(dataset, rs)).stream()) {
                long[] count = {0};
                rows.forEach(line -> {
                    write(out, line);
                    count[0]++;
                });
                flush(out);
                return count[0];
            }
        });
    }

    private String line(Dataset dataset, ResultSet rs) throws SQLException {
        return switch (dataset) {
            case SETS -> csv(pseudonyms.event(rs.getString("event_id")), pseudonyms.athlete(rs.getString("athlete_id")),
                    pseudonyms.session(rs.getString("athlete_id"), rs.getString("session_id")), instant(rs, "performed_at"),
                    rs.getString("exercise"), rs.getString("side"), rs.getString("reps"), rs.getString("load_kg"),
                    rs.getString("controlled_reps"), rs.getString("rpe"), rs.getString("source"), instant(rs, "received_at"));
            case BALANCES -> csv(pseudonyms.athlete(rs.getString("athlete_id")),
                    pseudonyms.session(rs.getString("athlete_id"), rs.getString("session_id")), rs.getString("exercise"),
                    rs.getString("session_date"), rs.getString("left_volume"), rs.getString("right_volume"), rs.getString("left_reps"),
                    rs.getString("right_reps"), rs.getString("asymmetry_pct"), rs.getString("weaker_side"), rs.getBoolean("loaded") ? "true" : "false");
            case INSIGHTS -> csv(pseudonyms.insight(rs.getString("insight_id")), pseudonyms.athlete(rs.getString("athlete_id")),
                    pseudonyms.session(rs.getString("athlete_id"), rs.getString("session_id")), rs.getString("rule"), rs.getString("severity"),
                    rs.getString("exercise"), rs.getString("side"), instant(rs, "detected_at"), rs.getString("metrics"),
                    pseudonyms.event(rs.getString("trigger_event_id")));
        };
    }

    private static String instant(ResultSet rs, String column) throws SQLException {
        var t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant().toString();
    }

    /** RFC 4180: quote a field when it holds a comma, quote or line break; null is an empty field. */
    static String csv(String... fields) {
        var line = new StringBuilder(128);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String f = fields[i];
            if (f == null) {
                continue;
            }
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                line.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                line.append(f);
            }
        }
        return line.toString();
    }

    private static void flush(Writer out) {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the export's reader went away", e);
        }
    }

    private static void write(Writer out, String line) {
        try {
            out.write(line);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("the export's reader went away", e);
        }
    }
}
