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

    /**
     * {@link #CLIENT_ID} without the regex engine: the stream thread checks two ids per event, and the regexes were
     * 6 % of its CPU in the rules benchmark (README, Performance). IdentifiersTest holds the two to the same answers.
     */
    public static boolean isClientId(String id) {
        return id != null && id.length() >= 1 && id.length() <= 64 && allowed(id, 0, id.length(), true);
    }

    /** {@link #QUALIFIED_ATHLETE} without the regex engine; see {@link #isClientId}. */
    public static boolean isQualifiedAthlete(String id) {
        if (id == null) {
            return false;
        }
        int colon = id.indexOf(':');
        int athlete = id.length() - colon - 1;
        return colon >= 1 && colon <= 32 && athlete >= 1 && athlete <= 64 && allowed(id, 0, colon, false)
                && allowed(id, colon + 1, id.length(), true);
    }

    private static boolean allowed(String id, int from, int to, boolean colonAllowed) {
        for (int i = from; i < to; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'
                    || (colonAllowed && c == ':');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

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
