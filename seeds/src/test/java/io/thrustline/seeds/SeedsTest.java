package io.thrustline.seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedsTest {

    @TempDir
    Path dir;

    @Test
    void builtInSeedsHoldEveryExerciseTheSpecNames() {
        Seeds seeds = Seeds.loadBuiltIn();
        List<String> required = List.of("barbell_single_leg_hip_thrust", "single_leg_hip_thrust", "weighted_single_leg_hip_thrust",
                "banded_single_leg_hip_thrust", "two_leg_hip_thrust_single_leg_descent", "barbell_hip_thrust", "glute_bridge",
                "single_leg_glute_bridge", "banded_glute_bridge", "weighted_glute_bridge", "deadlift", "hex_bar_deadlift",
                "romanian_deadlift", "kettlebell_swing", "good_morning", "back_squat");
        assertThat(seeds.catalog().exercises()).extracting(Exercise::code).containsAll(required);
        assertThat(seeds.catalog().require("two_leg_hip_thrust_single_leg_descent").laterality()).isEqualTo(Laterality.UNILATERAL);
        assertThat(seeds.catalog().require("good_morning").pattern()).isEqualTo(MovementPattern.HINGE);
        assertThat(seeds.catalog().require("back_squat").pattern()).isEqualTo(MovementPattern.OTHER);
        assertThat(seeds.catalog().require("weighted_glute_bridge").pattern()).isEqualTo(MovementPattern.BRIDGE);
    }

    @Test
    void builtInRuleBookHasTheSpecDefaults() {
        RuleBook rules = Seeds.loadBuiltIn().rules();
        assertThat(rules.leftRightImbalance().warningPct()).isEqualTo(10.0);
        assertThat(rules.leftRightImbalance().alertPct()).isEqualTo(15.0);
        assertThat(rules.controlledRep().minEccentricSeconds()).isEqualTo(2.0);
        assertThat(rules.controlledRep().minTopHoldSeconds()).isEqualTo(1.0);
        assertThat(rules.sessions().inactivityMinutes()).isEqualTo(120);
        assertThat(rules.persistentImbalance().sessions()).isEqualTo(3);
        assertThat(rules.hingeBeforeBridge().source().documents()).containsExactly("002_c146fef1f483018e.txt");
    }

    @Test
    void demoGymLoadsAndUsesOnlyCatalogExercises() {
        DemoGym gym = DemoGym.load();
        Catalog catalog = Seeds.loadBuiltIn().catalog();
        assertThat(gym.sessions()).isNotEmpty();
        gym.sessions().forEach(s -> s.sets().forEach(set -> assertThat(catalog.find(set.exercise())).isPresent()));
    }

    @Test
    void seedsFromADirectoryReplaceTheBuiltInOnes() throws IOException {
        copyBuiltIn(s -> s, s -> s.replace("\"warningPct\": 10.0", "\"warningPct\": 12.5"));
        assertThat(Seeds.loadFrom(dir).rules().leftRightImbalance().warningPct()).isEqualTo(12.5);
    }

    @Test
    void unknownFieldIsNamedWithFileAndPath() throws IOException {
        copyBuiltIn(s -> s.replaceFirst("\"aliases\"", "\"nicknames\": [], \"aliases\""), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessageStartingWith("catalog.json: exercises[0].nicknames");
    }

    @Test
    void badPatternIsNamed() throws IOException {
        copyBuiltIn(s -> s.replaceFirst("\"pattern\": \"HIP_THRUST\"", "\"pattern\": \"HIP_THRUSTER\""), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessageStartingWith("catalog.json: exercises[0].pattern");
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        copyBuiltIn(s -> s.replaceFirst("\"laterality\": \"UNILATERAL\",", ""), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessageContaining("catalog.json: exercises[0]")
                .hasMessageContaining("laterality");
    }

    @Test
    void progressionToAnUnknownExerciseIsNamed() throws IOException {
        copyBuiltIn(s -> s.replaceFirst("\"regressions\": \\[\"weighted_single_leg_hip_thrust\"", "\"regressions\": [\"no_such_lift\""), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessage("catalog.json: exercises[0].regressions[0]: unknown exercise 'no_such_lift'");
    }

    @Test
    void duplicateCodeIsNamed() throws IOException {
        copyBuiltIn(s -> s.replace("\"code\": \"single_leg_hip_thrust\"", "\"code\": \"barbell_single_leg_hip_thrust\""), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessage("catalog.json: exercises[1].code: 'barbell_single_leg_hip_thrust' appears more than once");
    }

    @Test
    void alertBelowWarningIsRejected() throws IOException {
        copyBuiltIn(s -> s, s -> s.replace("\"alertPct\": 15.0", "\"alertPct\": 8.0"));
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessage("rules.json: leftRightImbalance.alertPct: must be above warningPct and at most 100");
    }

    @Test
    void theActivationBeforeHingesMustBeABridgeFromTheCatalog() throws IOException {
        assertThat(Seeds.loadBuiltIn().rules().hingeBeforeBridge().activation())
                .isEqualTo(new RuleBook.Activation("glute_bridge", 2, 10, 15)); // the seed text's "two sets of 10 to 15 reps"
        copyBuiltIn(s -> s, s -> s.replace("\"exercise\": \"glute_bridge\"", "\"exercise\": \"deadlift\""));
        assertThatThrownBy(() -> Seeds.loadFrom(dir)).isInstanceOf(SeedException.class)
                .hasMessage("rules.json: hingeBeforeBridge.activation.exercise: 'deadlift' is not a bridge in catalog.json");
        copyBuiltIn(s -> s, s -> s.replace("\"maxReps\": 15", "\"maxReps\": 5"));
        assertThatThrownBy(() -> Seeds.loadFrom(dir)).isInstanceOf(SeedException.class)
                .hasMessageStartingWith("rules.json: hingeBeforeBridge.activation: needs at least 1 set");
    }

    @Test
    void aRuleBookWithoutAVersionIsRejected() throws IOException {
        copyBuiltIn(s -> s, s -> s.replace("\"version\": 1,", "\"version\": 0,"));
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessage("rules.json: version: must be a whole number of at least 1, raised with every change of the file");
        copyBuiltIn(s -> s, s -> s.replace("\"version\": 1,", "\"version\": 7,"));
        assertThat(Seeds.loadFrom(dir).rules().version()).isEqualTo(7);
    }

    @Test
    void citingAnUnknownDocumentIsRejected() throws IOException {
        copyBuiltIn(s -> s, s -> s.replaceFirst("\"documents\": \\[\"002_c146fef1f483018e.txt\"\\]", "\"documents\": [\"blog.txt\"]"));
        assertThatThrownBy(() -> Seeds.loadFrom(dir))
                .isInstanceOf(SeedException.class)
                .hasMessageStartingWith("rules.json: hingeBeforeBridge.source.documents[0]: 'blog.txt' is not one of the seed documents");
    }

    @Test
    void brokenJsonAndMissingFileAreNamed() throws IOException {
        copyBuiltIn(s -> s.substring(0, s.length() / 2), s -> s);
        assertThatThrownBy(() -> Seeds.loadFrom(dir)).isInstanceOf(SeedException.class).hasMessageStartingWith("catalog.json: ");
        Files.delete(dir.resolve("rules.json"));
        copyBuiltIn(s -> s, s -> s);
        Files.delete(dir.resolve("rules.json"));
        assertThatThrownBy(() -> Seeds.loadFrom(dir)).isInstanceOf(SeedException.class).hasMessageContaining("rules.json: file not found");
    }

    private void copyBuiltIn(UnaryOperator<String> catalog, UnaryOperator<String> rules) throws IOException {
        Files.writeString(dir.resolve(Seeds.CATALOG_FILE), catalog.apply(builtIn(Seeds.CATALOG_FILE)));
        Files.writeString(dir.resolve(Seeds.RULES_FILE), rules.apply(builtIn(Seeds.RULES_FILE)));
    }

    private static String builtIn(String file) throws IOException {
        try (InputStream in = Seeds.openResource(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
