package io.thrustline.streams.rules;

import io.thrustline.seeds.Seeds;
import java.util.ArrayList;
import java.util.List;

/** Every rule judged when a session closes, run over the session's sets. */
public final class SessionRules {

    private final HingeBeforeBridge hingeBeforeBridge;

    public SessionRules(Seeds seeds) {
        this.hingeBeforeBridge = new HingeBeforeBridge(seeds.catalog());
    }

    public List<Finding> atClose(List<LoggedSet> sessionSets) {
        var findings = new ArrayList<Finding>();
        hingeBeforeBridge.evaluate(sessionSets).ifPresent(findings::add);
        return findings;
    }
}
