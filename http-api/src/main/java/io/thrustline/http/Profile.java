package io.thrustline.http;

import java.util.Map;

/**
 * Where a service runs. Only the local stack sets {@code THRUSTLINE_PROFILE=local}, and only there may a
 * service fall back on the public demo credentials; anywhere else a missing, demo or short secret stops it.
 */
public enum Profile {
    LOCAL,
    PRODUCTION;

    public static final String VARIABLE = "THRUSTLINE_PROFILE";

    public static Profile fromEnv(Map<String, String> env) {
        String value = env.getOrDefault(VARIABLE, "").trim();
        return switch (value) {
            case "local" -> LOCAL;
            case "", "production" -> PRODUCTION;
            default -> throw new IllegalArgumentException(VARIABLE + "='" + value + "' must be 'local' (the local stack only) or 'production'");
        };
    }
}
