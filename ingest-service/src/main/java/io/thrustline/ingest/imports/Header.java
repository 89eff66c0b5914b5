package io.thrustline.ingest.imports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Column positions of a CSV header, looked up by name. */
final class Header {

    private final Map<String, Integer> index = new HashMap<>();

    Header(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i).trim(), i);
        }
    }

    /**
     * The header of an export: the first row, which must hold every required column and one of the weight
     * columns; otherwise says which app's export this is not, and what it needed.
     */
    static Header require(List<CsvReader.Row> rows, String app, List<String> required, List<String> weightColumns) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the file is empty");
        }
        var header = new Header(rows.get(0).fields());
        if (!required.stream().allMatch(header::has) || header.firstPresent(weightColumns.toArray(String[]::new)).isEmpty()) {
            throw new IllegalArgumentException("this is not a " + app + " export: its header needs " + String.join(", ", required)
                    + " and one of " + String.join(", ", weightColumns) + "; found " + rows.get(0).fields());
        }
        return header;
    }

    boolean has(String name) {
        return index.containsKey(name);
    }

    /** The value of a column in a row, or null when the column is absent or the cell empty. */
    String get(List<String> row, String name) {
        Integer i = index.get(name);
        if (i == null || i >= row.size()) {
            return null;
        }
        String value = row.get(i).trim();
        return value.isEmpty() ? null : value;
    }

    Optional<String> firstPresent(String... names) {
        for (String name : names) {
            if (has(name)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
