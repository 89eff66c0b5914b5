package io.thrustline.reporting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens and the role each grants, from {@code token=admin,token=coach:<coachId>,token=researcher}.
 * Tokens are held only as SHA-256 hashes and looked up by comparing every hash in constant time.
 */
public final class AccessTokens {

    private final Map<byte[], Caller> callers;

    private AccessTokens(Map<byte[], Caller> callers) {
        this.callers = callers;
    }

    public static AccessTokens parse(String spec) {
        var callers = new LinkedHashMap<byte[], Caller>();
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
            } else if (role.startsWith("coach:") && role.length() > "coach:".length()) {
                caller = new Caller.Coach(role.substring("coach:".length()));
            } else {
                // Name the entry, never its text: it holds a token.
                throw new IllegalArgumentException("THRUSTLINE_REPORTING_TOKENS: entry " + position
                        + " must be token=admin, token=coach:<coachId> or token=researcher");
            }
            if (eq <= 0) {
                throw new IllegalArgumentException("THRUSTLINE_REPORTING_TOKENS: entry " + position + " has an empty token");
            }
            callers.put(sha256(entry.substring(0, eq).trim()), caller);
        }
        if (callers.isEmpty()) {
            throw new IllegalArgumentException("THRUSTLINE_REPORTING_TOKENS lists no tokens");
        }
        return new AccessTokens(Map.copyOf(callers));
    }

    public Optional<Caller> callerFor(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(token);
        Caller found = null;
        for (var entry : callers.entrySet()) { // every entry is compared: timing must not tell which matched
            if (MessageDigest.isEqual(entry.getKey(), hash)) {
                found = entry.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
