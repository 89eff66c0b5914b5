package io.thrustline.streams.rules;

import io.thrustline.seeds.Seeds;
import java.util.List;

/**
 * Every rule (docs/rules.md), registered once. A new rule is one class implementing {@link SessionRule} (judged
 * when a session closes) or {@link SetRule} (judged as each set arrives), added here.
 *
 * @param ruleBook the version of the rule book the thresholds come from, stamped on everything judged with them
 */
public record Rules(int ruleBook, List<SessionRule> atSessionClose, List<SetRule> perSet) {

    public Rules {
        atSessionClose = List.copyOf(atSessionClose);
        perSet = List.copyOf(perSet);
    }

    public static Rules from(Seeds seeds) {
        var catalog = seeds.catalog();
        var book = seeds.rules();
        return new Rules(book.version(),
                List.of(new LeftRightImbalance(catalog, book.leftRightImbalance()),
                        new UnilateralSideMissing(catalog),
                        new PersistentImbalance(catalog, book.persistentImbalance(), book.leftRightImbalance().baselineSessions()),
                        new HingeBeforeBridge(catalog, book.hingeBeforeBridge())),
                List.of(new LoadIncreaseBeforeControl(catalog, book)));
    }

    /** Whether any per-set rule looks at this exercise, so its sets are worth keeping for them. */
    public boolean anySetRuleApplies(String exerciseCode) {
        return perSet.stream().anyMatch(rule -> rule.applies(exerciseCode));
    }
}
