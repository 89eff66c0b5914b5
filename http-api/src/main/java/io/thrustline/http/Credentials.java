package io.thrustline.http;

import java.util.Map;
import java.util.Set;

/**
 * The demo credentials of the local stack, and the rule for every key, token and secret: outside the local
 * profile each must be set, must not be a demo value, and must be at least {@link #MIN_LENGTH} characters.
 */
public final class Credentials {

    public static final int MIN_LENGTH = 24;

    /** Public demo values, written in the README: fine on a laptop, never anywhere else. */
    public static final String DEMO_INGEST_KEY = "demo-key";
    public static final String DEMO_INGEST_API_KEYS = "demo-gym=" + DEMO_INGEST_KEY;
    public static final String DEMO_ADMIN_TOKEN = "demo-admin";
    public static final String DEMO_COACH_TOKEN = "demo-coach";
    public static final String DEMO_RESEARCHER_TOKEN = "demo-researcher";
    public static final String DEMO_REPORTING_TOKENS = DEMO_ADMIN_TOKEN + "=admin," + DEMO_COACH_TOKEN + "=coach:coach-demo,"
            + DEMO_RESEARCHER_TOKEN + "=researcher";
    public static final String DEMO_EXPORT_SECRET = "local-stack-only-export-secret";
    private static final Set<String> DEMO_SECRETS = Set.of(DEMO_INGEST_KEY, DEMO_ADMIN_TOKEN, DEMO_COACH_TOKEN, DEMO_RESEARCHER_TOKEN,
            DEMO_EXPORT_SECRET);

    private Credentials() {}

    /** The variable's value; under the local profile the demo value stands in when it is unset. */
    public static String fromEnv(Map<String, String> env, String variable, String demoValue, Profile profile) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (profile == Profile.LOCAL) {
            return demoValue;
        }
        throw new IllegalArgumentException(variable + " is not set; every service needs its own credentials outside the local stack");
    }

    /**
     * Refuses a demo or short secret outside the local profile. Names the variable and the entry, never the
     * secret itself: the message ends up in logs.
     */
    public static void check(Profile profile, String variable, String entry, String secret) {
        if (profile == Profile.LOCAL) {
            return;
        }
        if (DEMO_SECRETS.contains(secret)) {
            throw new IllegalArgumentException(variable + ": " + entry + " is a public demo credential; "
                    + "demo credentials work only with " + Profile.VARIABLE + "=local (the local stack)");
        }
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException(variable + ": " + entry + " is shorter than " + MIN_LENGTH + " characters");
        }
    }
}
