package io.thrustline.reporting;

import io.thrustline.schemas.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed pseudonyms for every identifier a client chose (athlete, session, event): HMAC-SHA256 with the
 * server's export secret. The same id always gives the same pseudonym, so exports join across tables and
 * over time; without the secret the mapping cannot be reversed or recomputed. A session is named together
 * with its athlete, since two athletes may both call a session "s1". A study can have keys of its own
 * ({@link #forStudy}).
 */
public final class Pseudonyms {

    private final ThreadLocal<Mac> mac; // a Mac is not thread-safe; one per thread, initialised once
    private final byte[] key;

    public Pseudonyms(String secret) {
        this(checked(secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String checked(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("THRUSTLINE_EXPORT_SECRET must be at least 16 characters");
        }
        return secret;
    }

    private Pseudonyms(byte[] keyBytes) {
        this.key = keyBytes.clone();
        var key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
    }

    /**
     * The pseudonyms of one study: keyed by HMAC(server secret, study name), so each study's exports join among
     * themselves but two studies' cannot be joined on pseudonyms, and no study can work out another's.
     */
    public Pseudonyms forStudy(String study) {
        if (!Identifiers.isClientId(study)) {
            throw new IllegalArgumentException("study must be " + Identifiers.CLIENT_ID_RULE);
        }
        return new Pseudonyms(hmacBytes(key, "study:" + study));
    }

    private static byte[] hmacBytes(byte[] key, String value) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    String athlete(String athleteId) {
        return hmac("athlete", athleteId);
    }

    String session(String athleteId, String sessionId) {
        return hmac("session", athleteId + "|" + sessionId);
    }

    String event(String eventId) {
        return eventId == null ? null : hmac("event", eventId);
    }

    String insight(String insightId) {
        return hmac("insight", insightId);
    }

    private String hmac(String kind, String value) {
        byte[] id = value.getBytes(StandardCharsets.UTF_8); // first: a failure must not leave the thread's Mac half fed
        Mac m = mac.get();
        m.update(kind.getBytes(StandardCharsets.US_ASCII)); // the same bytes as kind + ":" + value, without building it
        m.update((byte) ':');
        byte[] digest = m.doFinal(id);
        return HexFormat.of().formatHex(digest, 0, 16); // 128 bits: collision-free for any realistic export
    }
}
