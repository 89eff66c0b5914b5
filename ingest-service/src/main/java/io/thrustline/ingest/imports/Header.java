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
