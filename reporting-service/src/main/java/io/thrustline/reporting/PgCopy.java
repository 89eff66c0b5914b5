package io.thrustline.reporting;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

/** COPY FROM STDIN through the handle's connection, and the CSV it reads. */
final class PgCopy {

    private PgCopy() {}

    static void copyIn(Handle handle, String copySql, CharSequence csv) {
        try {
            handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(csv.toString()));
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one CSV field for COPY: no value is an empty unquoted field, text is always quoted. */
    static StringBuilder field(StringBuilder line, Object value) {
        if (value == null) {
            return line;
        }
        if (value instanceof Number || value instanceof Instant || value instanceof Boolean) {
            return line.append(value);
        }
        return line.append('"').append(value.toString().replace("\"", "\"\"")).append('"');
    }
}
