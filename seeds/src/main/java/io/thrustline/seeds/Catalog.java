package io.thrustline.seeds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The exercise catalog, looked up by code. */
public final class Catalog {
    private final Map<String, String> documents;
    private final Map<String, Exercise> byCode;

    public Catalog(Map<String, String> documents, List<Exercise> exercises) {
        this.documents = Map.copyOf(documents);
        var index = new LinkedHashMap<String, Exercise>();
        exercises.forEach(e -> index.put(e.code(), e));
        this.byCode = java.util.Collections.unmodifiableMap(index);
    }

    public Optional<Exercise> find(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Exercise require(String code) {
        var exercise = byCode.get(code);
        if (exercise == null) {
            throw new IllegalArgumentException("unknown exercise '" + code + "'");
        }
        return exercise;
    }

    public List<Exercise> exercises() {
        return List.copyOf(byCode.values());
    }

    /** Seed document file name to a short description of what it covers. */
    public Map<String, String> documents() {
        return documents;
    }
}
