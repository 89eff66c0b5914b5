package io.thrustline.reporting;

import io.thrustline.schemas.Insight;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Within one batch's transaction: whether results of a rule book are stored. Every book but a retired one is; the
 * state of each book is read once per batch.
 */
public final class RuleBookAdmission {

    private final RuleBookRepository books;
    private final Map<Integer, String> states = new HashMap<>();

    public RuleBookAdmission(Handle handle) {
        this.books = handle.attach(RuleBookRepository.class);
    }

    public boolean admits(int stamped) {
        return !RuleBookRepository.RETIRED.equals(state(stamped));
    }

    public boolean admits(Insight insight) {
        return admits(insight.getRuleBook());
    }

    /** Whether this book is being derived beside the active one (a reprocess). */
    public boolean isBuilding(int stamped) {
        return RuleBookRepository.BUILDING.equals(state(stamped));
    }

    /** Whether this is the book coaches see now. */
    public boolean isActive(int stamped) {
        return RuleBookRepository.ACTIVE.equals(state(stamped));
    }

    private String state(int stamped) {
        return states.computeIfAbsent(RuleBookRepository.stampedOn(stamped), books::admit);
    }
}
