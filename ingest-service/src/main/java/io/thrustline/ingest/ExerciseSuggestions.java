package io.thrustline.ingest;

import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The catalog codes closest to a code the catalog does not know, for the 400 message. */
final class ExerciseSuggestions {

    private final Catalog catalog;

    ExerciseSuggestions(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Up to three codes whose code, name or an alias is within a few edits of what was sent. */
    List<String> closeTo(String sent) {
        String wanted = normalize(sent);
        record Scored(String code, int distance) {}
        return catalog.exercises().stream()
                .map(e -> new Scored(e.code(), distance(wanted, e)))
                .filter(s -> s.distance() <= Math.max(3, wanted.length() / 3))
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::code))
                .limit(3)
                .map(Scored::code)
                .toList();
    }

    private static int distance(String wanted, Exercise exercise) {
        int best = levenshtein(wanted, exercise.code());
        best = Math.min(best, levenshtein(wanted, normalize(exercise.name())));
        for (String alias : exercise.aliases()) {
            best = Math.min(best, levenshtein(wanted, normalize(alias)));
        }
        return best;
    }

    static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
