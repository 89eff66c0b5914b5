package io.thrustline.ingest;

import io.thrustline.schemas.TrainingEvent;
import java.util.List;

/**
 * Either every set of a request became an event, or what is wrong with it: the first errors in full and how
 * many there were in all.
 */
public record ValidationResult(List<TrainingEvent> events, List<FieldError> errors, int errorCount) {
    public ValidationResult {
        events = List.copyOf(events);
        errors = List.copyOf(errors);
    }

    static ValidationResult valid(List<TrainingEvent> events) {
        return new ValidationResult(events, List.of(), 0);
    }

    static ValidationResult invalid(ErrorList errors) {
        return new ValidationResult(List.of(), errors.kept(), errors.count());
    }

    public boolean isValid() {
        return errorCount == 0;
    }
}
