package io.thrustline.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The integrations allowed to send sets, each with its key. Only SHA-256 hashes of the keys are kept, and
 * every stored hash is compared in constant time, so neither memory dumps nor timing reveal a key.
 */
public final class ApiKeys {

    private record Entry(String integrationId, byte[] keyHash) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** Parses {@code integrationId=key,integrationId=key}. */
    public static ApiKeys parse(String spec) {
        var entries = new ArrayList<Entry>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                // Say where, never what: the text may hold a key.
                throw new IllegalArgumentException("THRUSTLINE_INGEST_API_KEYS: entry " + (entries.size() + 1)
                        + " is not of the form integrationId=key");
            }
            entries.add(new Entry(pair.substring(0, eq).trim(), sha256(pair.substring(eq + 1).trim())));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("THRUSTLINE_INGEST_API_KEYS lists no integrationId=key pair");
        }
        return new ApiKeys(entries);
    }

    /** The integration a bearer key belongs to, if any. */
    public Optional<String> integrationFor(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(key);
        String match = null;
        for (Entry entry : entries) { // no early exit: the time taken must not depend on which entry matched
            if (MessageDigest.isEqual(entry.keyHash(), hash)) {
                match = entry.integrationId();
            }
        }
        return Optional.ofNullable(match);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
