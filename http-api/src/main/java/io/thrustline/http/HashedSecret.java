package io.thrustline.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * A key or token held only as its SHA-256 hash. {@link #find} compares against every entry without an early
 * exit, so neither a memory dump nor response timing tells which secret matched.
 */
public record HashedSecret<T>(byte[] hash, T owner) {

    public static <T> HashedSecret<T> of(String secret, T owner) {
        return new HashedSecret<>(sha256(secret), owner);
    }

    /** The owner of the entry whose secret is {@code presented}, if any. */
    public static <T> Optional<T> find(List<HashedSecret<T>> entries, String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        T match = null;
        for (HashedSecret<T> entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash)) {
                match = entry.owner();
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
