package io.thrustline.seeds;

import java.util.List;

/** One catalog entry. Codes are what gyms send in {@code exercise}; the rest words insights and the catalog API. */
public record Exercise(
        String code,
        String name,
        List<String> aliases,
        MovementPattern pattern,
        Laterality laterality,
        List<String> equipment,
        List<String> primaryMuscles,
        List<String> supportingMuscles,
        List<String> cues,
        List<String> commonMistakes,
        List<String> progressions,
        List<String> regressions,
        List<String> sources) {

    public Exercise {
        aliases = List.copyOf(aliases);
        equipment = List.copyOf(equipment);
        primaryMuscles = List.copyOf(primaryMuscles);
        supportingMuscles = List.copyOf(supportingMuscles);
        cues = List.copyOf(cues);
        commonMistakes = List.copyOf(commonMistakes);
        progressions = List.copyOf(progressions);
        regressions = List.copyOf(regressions);
        sources = List.copyOf(sources);
    }

    public boolean isUnilateral() {
        return laterality == Laterality.UNILATERAL;
    }
}
