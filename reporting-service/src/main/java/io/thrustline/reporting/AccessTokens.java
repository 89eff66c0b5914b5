package io.thrustline.reporting;

import io.thrustline.http.Credentials;
import io.thrustline.http.HashedSecret;
import io.thrustline.http.Profile;
import io.thrustline.schemas.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens and the role each grants, from {@code token=admin,token=coach:<coachId>,token=researcher},
 * held only as hashes (see {@link HashedSecret}).
 */
public final class AccessTokens {

    static final String VARIABLE = "THRUSTLINE_REPORTING_TOKENS";

    private final List<HashedSecret<Caller>> callers;

    private AccessTokens(List<HashedSecret<Caller>> callers) {
        this.callers = List.copyOf(callers);
    }

    /** Outside the local profile every token must be long and not a demo token. */
    public static AccessTokens parse(String spec, Profile profile) {
        var callers = new ArrayList<HashedSecret<Caller>>();
        int position = 0;
        for (String entry : spec.split(",")) {
            position++;
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            String role = eq < 0 ? "" : entry.substring(eq + 1).trim();
            Caller caller;
            if (role.equals("admin")) {
                caller = new Caller.Admin();
            } else if (role.equals("researcher")) {
                caller = new Caller.Researcher();
            } else if (role.startsWith("coach:") && Identifiers.isClientId(role.substring("coach:".length()))) {
                caller = new Caller.Coach(role.substring("coach:".length()));
            } else {
                // Name the entry, never its text: it holds a token.
                throw new IllegalArgumentException(VARIABLE + ": entry " + position
                        + " must be token=admin, token=coach:<coachId> or token=researcher");
            }
            if (eq <= 0) {
                throw new IllegalArgumentException(VARIABLE + ": entry " + position + " has an empty token");
            }
            String token = entry.substring(0, eq).trim();
            Credentials.check(profile, VARIABLE, "entry " + position, token);
            callers.add(HashedSecret.of(token, caller));
        }
        if (callers.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " lists no tokens");
        }
        return new AccessTokens(callers);
    }

    public Optional<Caller> callerFor(String token) {
        return HashedSecret.find(callers, token);
    }
}
