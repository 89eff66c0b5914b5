package io.thrustline.schemas;

import java.util.Map;

/**
 * Where the schema registry is and how to sign in to it: nothing, basic credentials
 * ({@code THRUSTLINE_REGISTRY_USERNAME}/{@code _PASSWORD}), or OAuth 2 client credentials
 * ({@code THRUSTLINE_REGISTRY_OAUTH_TOKEN_URL}, {@code _CLIENT_ID}, {@code _CLIENT_SECRET}, optional {@code _SCOPE}).
 */
public record RegistrySettings(String url, String username, String password, String tokenUrl, String clientId, String clientSecret,
        String scope) {

    public RegistrySettings {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("THRUSTLINE_REGISTRY_USERNAME and THRUSTLINE_REGISTRY_PASSWORD go together");
        }
        if (tokenUrl != null && (clientId == null || clientSecret == null)) {
            throw new IllegalArgumentException("THRUSTLINE_REGISTRY_OAUTH_TOKEN_URL needs _CLIENT_ID and _CLIENT_SECRET");
        }
        if (username != null && tokenUrl != null) {
            // Apicurio's serializer and our schema reads must sign in the same way; with both set they might not.
            throw new IllegalArgumentException("set either THRUSTLINE_REGISTRY_USERNAME/_PASSWORD or THRUSTLINE_REGISTRY_OAUTH_*, not both");
        }
    }

    public static RegistrySettings fromEnv(Map<String, String> env) {
        return new RegistrySettings(env.getOrDefault("THRUSTLINE_REGISTRY_URL", "http://localhost:8085"),
                blankAsNull(env.get("THRUSTLINE_REGISTRY_USERNAME")), blankAsNull(env.get("THRUSTLINE_REGISTRY_PASSWORD")),
                blankAsNull(env.get("THRUSTLINE_REGISTRY_OAUTH_TOKEN_URL")), blankAsNull(env.get("THRUSTLINE_REGISTRY_OAUTH_CLIENT_ID")),
                blankAsNull(env.get("THRUSTLINE_REGISTRY_OAUTH_CLIENT_SECRET")), blankAsNull(env.get("THRUSTLINE_REGISTRY_OAUTH_SCOPE")));
    }

    /** A registry that needs no sign-in, as the local stack runs it. */
    public static RegistrySettings open(String url) {
        return new RegistrySettings(url, null, null, null, null, null, null);
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() { // credentials stay out of logs
        return "RegistrySettings[url=" + url + ", auth=" + (username != null ? "basic as " + username : tokenUrl != null ? "oauth as " + clientId : "none")
                + "]";
    }
}
