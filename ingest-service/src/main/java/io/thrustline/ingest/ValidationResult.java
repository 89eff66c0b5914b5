package io.thrustline.ingest;

import io.thrustline.schemas.TrainingEvent;
import java.util.List;

/** Either every set of a request became an event, or the list of everything wrong with it. */
public record ValidationResult(List<TrainingEvent> events, List<FieldError> errors) {
    public ValidationResult {
        events = List.copyOf(events);
        errors = List.copyOf(errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}
