package io.thrustline.ingest.imports;

import io.thrustline.seeds.Catalog;
import io.thrustline.seeds.Exercise;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps an app's exercise name ("Hip Thrust (Barbell)", "Single Leg Glute Bridge - Left") onto a catalog
 * code, and finds the working leg in the name or notes. Names are compared as bags of words, so word order
 * and brackets do not matter; words that name a side are taken out first.
 */
final class ExerciseMatcher {

    private static final Set<String> LEFT = Set.of("left", "l", "lt", "links", "izquierda");
    private static final Set<String> RIGHT = Set.of("right", "r", "rt", "rechts", "derecha");

    private final Map<String, Exercise> byWords = new HashMap<>();

    ExerciseMatcher(Catalog catalog) {
        for (Exercise e : catalog.exercises()) {
            byWords.putIfAbsent(words(e.code()), e);
            byWords.putIfAbsent(words(e.name()), e);
            e.aliases().forEach(alias -> byWords.putIfAbsent(words(alias), e));
        }
    }

    Optional<Exercise> match(String appName) {
        return Optional.ofNullable(byWords.get(words(appName)));
    }

    /** "LEFT" or "RIGHT" when the text names exactly one side, otherwise empty. */
    static Optional<String> side(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean left = false;
        boolean right = false;
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            left |= LEFT.contains(word);
            right |= RIGHT.contains(word);
        }
        return left == right ? Optional.empty() : Optional.of(left ? "LEFT" : "RIGHT");
    }

    private static String words(String text) {
        var words = new TreeSet<String>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty() && !LEFT.contains(word) && !RIGHT.contains(word) && !word.equals("side")) {
                words.add(word);
            }
        }
        return String.join(" ", words);
    }
}
