package io.thrustline.seeds;

import java.util.List;

/** Where a rule or threshold comes from: seed document file names and the reasoning, in our words. */
public record Citation(List<String> documents, String basis) {
    public Citation {
        documents = List.copyOf(documents);
    }
}
