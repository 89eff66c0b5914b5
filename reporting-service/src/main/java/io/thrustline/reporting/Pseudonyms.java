package io.thrustline.reporting;

import io.thrustline.schemas.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Keyed pseudonyms for every identifier a client chose (athlete, session, event): HMAC-SHA256 with the
 * server's export secret. The same id always gives the same pseudonym, so exports join across tables and
 * over time; without the secret the mapping cannot be reversed or recomputed. A session is named together
 * with its athlete, since two athletes may both call a session "s1". A study can have keys of its own
 * ({@link #forStudy}).
 */
public final class Pseudonyms {

    private final KeyedHash hash;

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
        this.hash = new KeyedHash(keyBytes);
    }

    /**
     * The pseudonyms of one study: keyed by HMAC(server secret, study name), so each study's exports join among
     * themselves but two studies' cannot be joined on pseudonyms, and no study can work out another's.
     */
    public Pseudonyms forStudy(String study) {
        if (!Identifiers.isClientId(study)) {
            throw new IllegalArgumentException("study must be " + Identifiers.CLIENT_ID_RULE);
        }
        return new Pseudonyms(hash.digest("study".getBytes(StandardCharsets.US_ASCII), study.getBytes(StandardCharsets.UTF_8)));
    }

    String athlete(String athleteId) {
        return hmac(ATHLETE, athleteId);
    }

    String session(String athleteId, String sessionId) {
        return hmac(SESSION, athleteId + "|" + sessionId);
    }

    String event(String eventId) {
        return eventId == null ? null : hmac(EVENT, eventId);
    }

    String insight(String insightId) {
        return hmac(INSIGHT, insightId);
    }

    private static final byte[] ATHLETE = "athlete".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SESSION = "session".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INSIGHT = "insight".getBytes(StandardCharsets.US_ASCII);

    private String hmac(byte[] kind, String value) {
        byte[] digest = hash.digest(kind, value.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16); // 128 bits: collision-free for any realistic export
    }

    /**
     * HMAC-SHA256 (RFC 2104) of {@code kind + ":" + value}, the same bytes {@link javax.crypto.Mac} gives (a jqwik
     * property in PseudonymsTest holds them equal). The key's two padded blocks are hashed once, here, and each
     * pseudonym starts from copies of those states: {@code Mac} hashes both blocks again for every value, 4 SHA-256
     * blocks per id where this takes 2, and the research export works out three pseudonyms per row.
     * Thread-safe: the two prototypes are only ever copied, never updated, after construction.
     */
    static final class KeyedHash {
        private static final int BLOCK = 64;
        private final MessageDigest inner;
        private final MessageDigest outer;

        KeyedHash(byte[] key) {
            byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
            byte[] innerPad = new byte[BLOCK];
            byte[] outerPad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                innerPad[i] = (byte) (b ^ 0x36);
                outerPad[i] = (byte) (b ^ 0x5c);
            }
            inner = sha256();
            inner.update(innerPad);
            outer = sha256();
            outer.update(outerPad);
            copy(inner); // a provider whose SHA-256 cannot be copied fails here, at start, not on an export's first row
        }

        byte[] digest(byte[] kind, byte[] value) {
            MessageDigest in = copy(inner);
            in.update(kind);
            in.update((byte) ':');
            in.update(value);
            MessageDigest out = copy(outer);
            out.update(in.digest());
            return out.digest();
        }

        private static MessageDigest copy(MessageDigest prototype) {
            try {
                return (MessageDigest) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the JDK's SHA-256 can be copied", e);
            }
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }
}
