package io.thrustline.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one request: the first {@link #KEPT} in full, the rest only counted, so an answer never
 * grows with the size of a hostile body (300,000 unknown fields once gave a 57 MB error).
 */
final class ErrorList {

    static final int KEPT = 100;

    private final List<FieldError> kept = new ArrayList<>();
    private int count;

    void add(FieldError error) {
        if (kept.size() < KEPT) {
            kept.add(error);
        }
        count++;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    List<FieldError> kept() {
        return kept;
    }
}
