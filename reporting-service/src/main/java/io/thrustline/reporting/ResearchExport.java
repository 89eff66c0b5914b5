package io.thrustline.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The researcher's exports of sets, balances and insights, as CSV or Parquet (docs/export-dictionary.md).
 * Rows stream from a PostgreSQL cursor straight to the output, so memory stays flat however many there
 * are (Parquet holds at most one 8 MB row group). Client ids become pseudonyms; free-text notes are never
 * exported.
 */
public final class ResearchExport {

    public enum Dataset {
        SETS("""
                select event_id, athlete_id, session_id, performed_at, exercise, side, reps, load_kg, controlled_reps, rpe, source, received_at,
                       set_type
                  from sets
                 where (cast(:from as timestamptz) is null or performed_at >= cast(:from as timestamptz))
                   and (cast(:changedSince as xid8) is null or changed_xid >= cast(:changedSince as xid8))
                   and (cast(:to as timestamptz) is null or performed_at < cast(:to as timestamptz))
                 order by performed_at, event_id
                """,
                SchemaBuilder.record("ThrustlineSet").namespace("io.thrustline.export").fields()
                        .requiredString("event").requiredString("athlete").requiredString("session")
                        .name("performed_at").type(timestamp()).noDefault().requiredString("exercise").optionalString("side")
                        .requiredInt("reps").requiredDouble("load_kg").optionalInt("controlled_reps").optionalDouble("rpe")
                        .optionalString("source").name("received_at").type(timestamp()).noDefault().requiredString("set_type").endRecord()),
        BALANCES("""
                select athlete_id, session_id, exercise, session_date, left_volume, right_volume, left_reps, right_reps, asymmetry_pct,
                       weaker_side, loaded, insufficient_data, rule_book
                  from session_balances
                 where rule_book = active_rule_book()
                   and (cast(:from as timestamptz) is null or session_date >= cast(:from as timestamptz))
                   and (cast(:changedSince as xid8) is null or changed_xid >= cast(:changedSince as xid8))
                   and (cast(:to as timestamptz) is null or session_date < cast(:to as timestamptz))
                 order by session_date, athlete_id, session_id, exercise
                """,
                SchemaBuilder.record("ThrustlineBalance").namespace("io.thrustline.export").fields()
                        .requiredString("athlete").requiredString("session").requiredString("exercise")
                        .name("session_date").type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT))).noDefault()
                        .requiredDouble("left_volume").requiredDouble("right_volume").requiredInt("left_reps").requiredInt("right_reps")
                        .requiredDouble("asymmetry_pct").optionalString("weaker_side").requiredBoolean("loaded")
                        .requiredBoolean("insufficient_data").requiredInt("rule_book").endRecord()),
        INSIGHTS("""
                select insight_id, athlete_id, session_id, rule, severity, exercise, side, detected_at, metrics, trigger_event_id,
                       retracted_at, rule_book
                  from insights
                 where rule_book = active_rule_book()
                   and (cast(:from as timestamptz) is null or detected_at >= cast(:from as timestamptz))
                   and (cast(:changedSince as xid8) is null or changed_xid >= cast(:changedSince as xid8))
                   and (cast(:to as timestamptz) is null or detected_at < cast(:to as timestamptz))
                 order by detected_at, insight_id
                """,
                SchemaBuilder.record("ThrustlineInsight").namespace("io.thrustline.export").fields()
                        .requiredString("insight").requiredString("athlete").requiredString("session").requiredString("rule")
                        .requiredString("severity").optionalString("exercise").optionalString("side")
                        .name("detected_at").type(timestamp()).noDefault().requiredString("metrics").optionalString("trigger_event")
                        .requiredBoolean("retracted").name("retracted_at").type().optional().type(timestamp())
                        .requiredInt("rule_book").endRecord());

        final String sql;
        final Schema schema;

        Dataset(String sql, Schema schema) {
            this.sql = sql;
            this.schema = schema;
        }

        List<String> columns() {
            return schema.getFields().stream().map(Schema.Field::name).toList();
        }

        public static Dataset parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("export one of sets, balances, insights; not '" + name + "'");
            }
        }

        private static Schema timestamp() {
            return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        }
    }

    /** The response header that carries the cursor for the next incremental pull. */
    public static final String NEXT_CURSOR_HEADER = "Thrustline-Next-Cursor";

    /** Row group size: bounds what a Parquet export holds in memory. */
    private static final int ROW_GROUP_BYTES = 8 << 20;

    private final Jdbi jdbi;
    private final Pseudonyms pseudonyms;
    private final String changedSince;

    public ResearchExport(Jdbi jdbi, Pseudonyms pseudonyms) {
        this(jdbi, pseudonyms, null);
    }

    private ResearchExport(Jdbi jdbi, Pseudonyms pseudonyms, String changedSince) {
        this.jdbi = jdbi;
        this.pseudonyms = pseudonyms;
        this.changedSince = changedSince;
    }

    /** The same export with the study's own pseudonyms; {@code study} null means the server's default key. */
    public ResearchExport forStudy(String study) {
        return study == null ? this : new ResearchExport(jdbi, pseudonyms.forStudy(study), changedSince);
    }

    /**
     * Only rows stored or changed since the pull that was given {@code cursor} (see {@link #cursorNow()}); null for all.
     * A row may come again in the next pull, never be missed: read the export as upserts by its key.
     */
    public ResearchExport changedSince(String cursor) {
        if (cursor != null && !cursor.matches("[0-9]{1,20}")) {
            throw new IllegalArgumentException("changedSince must be a cursor an earlier export returned (digits only)");
        }
        return new ResearchExport(jdbi, pseudonyms, cursor);
    }

    /**
     * The cursor for the next pull: the oldest transaction still running now. Everything committed before it is
     * visible to an export that starts afterwards; anything that commits later carries this transaction id or a
     * newer one, so the next pull, which asks for ids from here on, gets it. Taken before the rows are read.
     */
    public String cursorNow() {
        return jdbi.withHandle(h -> h.createQuery("select cast(pg_snapshot_xmin(pg_current_snapshot()) as text)").mapTo(String.class).one());
    }

    /** Writes the header and every row between from (inclusive) and to (exclusive); returns the row count. */
    public long writeCsv(Dataset dataset, Instant from, Instant to, Writer out) {
        write(out, String.join(",", dataset.columns()));
        long rows = stream(dataset, from, to, values -> write(out, csv(values)));
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the export's reader went away", e);
        }
        return rows;
    }

    /** The same rows as Parquet (Snappy), written sequentially to {@code out}; returns the row count. */
    public long writeParquet(Dataset dataset, Instant from, Instant to, OutputStream out) {
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new StreamingOutputFile(out))
                .withSchema(dataset.schema)
                .withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .build()) {
            return stream(dataset, from, to, values -> {
                var record = new GenericData.Record(dataset.schema);
                for (int i = 0; i < values.length; i++) {
                    record.put(i, avro(values[i]));
                }
                try {
                    writer.write(record);
                } catch (IOException e) {
                    throw new UncheckedIOException("the export's reader went away", e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Parquet", e);
        }
    }

    /** Streams the dataset's rows, pseudonymized, as values in column order; returns how many. */
    private long stream(Dataset dataset, Instant from, Instant to, Consumer<Object[]> rowSink) {
        return jdbi.inTransaction(handle -> { // a cursor needs a transaction in PostgreSQL
            try (var rows = handle.createQuery(dataset.sql).bind("from", from).bind("to", to).bind("changedSince", changedSince).setFetchSize(2000)
                    .map(new RowMapper<Object[]>() {
                        private final AthletePseudonyms athletes = new AthletePseudonyms(pseudonyms);

                        @Override
                        public Object[] map(ResultSet rs, StatementContext ctx) throws SQLException {
                            return values(dataset, rs, athletes);
                        }
                    }).stream()) {
                long[] count = {0};
                rows.forEach(values -> {
                    rowSink.accept(values);
                    count[0]++;
                });
                return count[0];
            }
        });
    }

    /**
     * One export's athlete pseudonyms, each worked out once: an export holds many rows per athlete, and the HMAC
     * was 12 % of the CSV export in a profile of ./thrustline bench reporting. Rows come in time order, so athletes
     * interleave: a small recency memo never hit (4,096 entries against the benchmark's 5,000 athletes), hence one
     * entry per athlete, up to {@link #REMEMBERED} (about 10 MB at most), then started afresh so memory stays bounded.
     */
    static final class AthletePseudonyms {
        static final int REMEMBERED = 65_536;
        private final Pseudonyms pseudonyms;
        private final HashMap<String, String> known = new HashMap<>();

        AthletePseudonyms(Pseudonyms pseudonyms) {
            this.pseudonyms = pseudonyms;
        }

        String of(String athleteId) {
            String pseudonym = known.get(athleteId);
            if (pseudonym == null) {
                if (known.size() >= REMEMBERED) {
                    known.clear();
                }
                pseudonym = pseudonyms.athlete(athleteId);
                known.put(athleteId, pseudonym);
            }
            return pseudonym;
        }

        int remembered() {
            return known.size();
        }
    }

    private Object[] values(Dataset dataset, ResultSet rs, AthletePseudonyms athletes) throws SQLException {
        String athlete = rs.getString("athlete_id");
        return switch (dataset) {
            case SETS -> new Object[] {pseudonyms.event(rs.getString("event_id")), athletes.of(athlete),
                    pseudonyms.session(athlete, rs.getString("session_id")), instant(rs, "performed_at"), rs.getString("exercise"),
                    rs.getString("side"), rs.getInt("reps"), rs.getDouble("load_kg"), integer(rs, "controlled_reps"), decimal(rs, "rpe"),
                    rs.getString("source"), instant(rs, "received_at"), rs.getString("set_type")};
            case BALANCES -> new Object[] {athletes.of(athlete), pseudonyms.session(athlete, rs.getString("session_id")),
                    rs.getString("exercise"), rs.getObject("session_date", LocalDate.class), rs.getDouble("left_volume"),
                    rs.getDouble("right_volume"), rs.getInt("left_reps"), rs.getInt("right_reps"), rs.getDouble("asymmetry_pct"),
                    rs.getString("weaker_side"), rs.getBoolean("loaded"), rs.getBoolean("insufficient_data"),
                    rs.getInt("rule_book")};
            case INSIGHTS -> new Object[] {pseudonyms.insight(rs.getString("insight_id")), athletes.of(athlete),
                    pseudonyms.session(athlete, rs.getString("session_id")), rs.getString("rule"), rs.getString("severity"),
                    rs.getString("exercise"), rs.getString("side"), instant(rs, "detected_at"), rs.getString("metrics"),
                    pseudonyms.event(rs.getString("trigger_event_id")), rs.getObject("retracted_at") != null, instant(rs, "retracted_at"),
                    rs.getInt("rule_book")};
        };
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        // As OffsetDateTime the driver reads the text straight into java.time; through Timestamp it went via a
        // Calendar, 11 % of the CSV export's CPU in a profile of ./thrustline bench reporting.
        var t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double decimal(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** Avro's representation: timestamp-millis as a long, date as days since the epoch. */
    private static Object avro(Object value) {
        if (value instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof LocalDate date) {
            return (int) date.toEpochDay();
        }
        return value;
    }

    /**
     * RFC 4180: quote a field when it holds a comma, quote or line break; null is an empty field. A text cell
     * that a spreadsheet would run as a formula is defused (see {@link #defused}).
     */
    static String csv(Object... fields) {
        var line = new StringBuilder(128);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            if (fields[i] == null) {
                continue;
            }
            if (fields[i] instanceof Instant instant && IsoInstant.append(line, instant)) {
                continue; // digits, dashes and colons: nothing to quote or defuse
            }
            String f = fields[i] instanceof Number ? fields[i].toString() : defused(fields[i].toString());
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                line.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                line.append(f);
            }
        }
        return line.toString();
    }

    /**
     * A text cell starting with '=', '+', '-', '@', tab or carriage return is read by spreadsheets as a formula
     * (CSV injection); such a cell gets a leading apostrophe, which spreadsheets show as text. A number written
     * as text (-12.5) is left alone.
     */
    static String defused(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        if (!risky || ((first == '-' || first == '+') && isNumber(cell))) {
            return cell;
        }
        return "'" + cell;
    }

    private static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
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

    /** Parquet writes front to back (footer last), so an HTTP response or a pipe can take it as it comes. */
    private record StreamingOutputFile(OutputStream out) implements OutputFile {

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long position;

                @Override
                public long getPos() {
                    return position;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    position++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    position += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the caller owns the stream
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
