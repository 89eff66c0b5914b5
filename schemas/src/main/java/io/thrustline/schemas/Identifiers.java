package io.thrustline.schemas;

import java.util.regex.Pattern;

/**
 * The shape of every identifier on the topics, in one place.
 *
 * <p>Integrations are tenants: an athlete id belongs to the integration that sent it. On the topics, in
 * PostgreSQL and in every report the athlete is named by its <em>qualified</em> id,
 * {@code <integrationId>:<athleteId as the integration sent it>}. Integration ids cannot hold ':', so the
 * first ':' always splits the two parts, and the same athlete id from two integrations is two athletes.
 */
public final class Identifiers {

    /** Ids an integration chooses (athlete, session): 1-64 of these characters. */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    public static final String CLIENT_ID_RULE = "1-64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'";

    /** Ids of integrations (the left side of an API key entry): 1-32 characters, no ':'. */
    public static final Pattern INTEGRATION_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    public static final String INTEGRATION_ID_RULE = "1-32 characters of A-Z, a-z, 0-9, '.', '_' and '-'";

    /** An athlete as Thrustline names it: {@code integrationId:athleteId}. */
    public static final Pattern QUALIFIED_ATHLETE = Pattern.compile("[A-Za-z0-9._-]{1,32}:[A-Za-z0-9._:-]{1,64}");
    public static final String QUALIFIED_ATHLETE_RULE = "an integration id, ':' and the athlete id that integration sent, "
            + "e.g. demo-gym:ath-042";

    private Identifiers() {}

    /** The athlete {@code athleteId} of {@code integrationId}, as named on the topics and in reports. */
    public static String qualifiedAthlete(String integrationId, String athleteId) {
        return integrationId + ":" + athleteId;
    }

    /** The integration part of a qualified athlete id. */
    public static String integrationOf(String qualifiedAthlete) {
        int colon = qualifiedAthlete.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + qualifiedAthlete + "' is not " + QUALIFIED_ATHLETE_RULE);
        }
        return qualifiedAthlete.substring(0, colon);
    }
}
