package io.thrustline.streams.rules;

import io.thrustline.seeds.Exercise;
import java.util.List;

/** Small helpers for writing messages and advice in plain words from the catalog's entries. */
final class Wording {

    private Wording() {}

    static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String side(Side side) {
        return side.name().toLowerCase();
    }

    static String name(Exercise exercise) {
        return lowerFirst(exercise.name());
    }

    /** The first cue, or an empty string when the catalog has none. */
    static String firstCue(Exercise exercise) {
        return first(exercise.cues());
    }

    static String firstMistake(Exercise exercise) {
        return first(exercise.commonMistakes());
    }

    private static String first(List<String> items) {
        return items.isEmpty() ? "" : items.get(0);
    }
}
