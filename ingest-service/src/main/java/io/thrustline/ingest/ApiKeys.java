package io.thrustline.ingest;

import io.thrustline.http.Credentials;
import io.thrustline.http.HashedSecret;
import io.thrustline.http.Profile;
import io.thrustline.schemas.Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The integrations allowed to send sets, each with its key, held only as hashes (see {@link HashedSecret}). */
public final class ApiKeys {

    static final String VARIABLE = "THRUSTLINE_INGEST_API_KEYS";

    private final List<HashedSecret<String>> entries;

    private ApiKeys(List<HashedSecret<String>> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses {@code integrationId=key,integrationId=key}; outside the local profile keys must be long and not demo keys. */
    public static ApiKeys parse(String spec, Profile profile) {
        var entries = new ArrayList<HashedSecret<String>>();
        int position = 0;
        for (String pair : spec.split(",")) {
            position++;
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                // Say where, never what: the text may hold a key.
                throw new IllegalArgumentException(VARIABLE + ": entry " + position + " is not of the form integrationId=key");
            }
            String integration = pair.substring(0, eq).trim();
            if (!Identifiers.INTEGRATION_ID.matcher(integration).matches()) {
                throw new IllegalArgumentException(VARIABLE + ": entry " + position + " has an integration id that is not "
                        + Identifiers.INTEGRATION_ID_RULE);
            }
            String key = pair.substring(eq + 1).trim();
            Credentials.check(profile, VARIABLE, "the key of " + integration, key);
            entries.add(HashedSecret.of(key, integration));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(VARIABLE + " lists no integrationId=key pair");
        }
        return new ApiKeys(entries);
    }

    /** The integration a bearer key belongs to, if any. */
    public Optional<String> integrationFor(String key) {
        return HashedSecret.find(entries, key);
    }
}
