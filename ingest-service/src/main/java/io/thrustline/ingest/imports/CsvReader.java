package io.thrustline.ingest.imports;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV through Jackson's CSV module: quoted fields may hold the separator, doubled quotes and line breaks,
 * and a quote inside an unquoted field is just a character. The separator is whichever of ',' and ';' the header
 * line uses more of, because the apps have shipped both.
 */
final class CsvReader {

    /** One record with the 1-based line of the file it starts on. */
    record Row(int line, List<String> fields) {}

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY) // the file as an array of records, each an array of its fields
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private CsvReader() {}

    static char sniffSeparator(String text) {
        int end = text.indexOf('\n');
        String header = end < 0 ? text : text.substring(0, end);
        long commas = header.chars().filter(c -> c == ',').count();
        long semicolons = header.chars().filter(c -> c == ';').count();
        return semicolons > commas ? ';' : ',';
    }

    /** @throws IllegalArgumentException when the text is not CSV (an unterminated quote, say), naming the line */
    static List<Row> parse(String text, char separator) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte-order mark some exports begin with
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(separator).withQuoteChar('"');
        var rows = new ArrayList<Row>();
        // Read token by token rather than record by record: the first field's token knows the line its record starts on.
        try (CsvParser parser = CSV.getFactory().createParser(body)) {
            parser.setSchema(schema);
            List<String> fields = null;
            int line = 0;
            int depth = 0; // 1 inside the array that wraps the file, 2 inside a record
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_ARRAY -> {
                        depth++;
                        fields = new ArrayList<>();
                        line = 0;
                    }
                    case VALUE_STRING -> {
                        if (line == 0) {
                            line = parser.currentTokenLocation().getLineNr();
                        }
                        fields.add(parser.getText());
                    }
                    case END_ARRAY -> {
                        if (depth-- == 2) {
                            rows.add(new Row(line, List.copyOf(fields)));
                        }
                    }
                    default -> throw new IllegalStateException("unexpected " + token + " in CSV");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the file is not valid CSV: " + firstLine(e.getMessage()));
        }
        return rows;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
