package io.thrustline.reporting.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's signing secret in the Standard Webhooks form, {@code whsec_} followed by the base64 of 24 to 64
 * random bytes, so a receiver can check our signatures with any Standard Webhooks library.
 */
public record WebhookSecret(String text) {

    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;
    public static final String RULE = PREFIX + " followed by the base64 of " + MIN_BYTES + " to " + MAX_BYTES + " random bytes";

    public WebhookSecret {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("secret must be " + RULE);
        }
        int length;
        try {
            length = Base64.getDecoder().decode(text.substring(PREFIX.length())).length;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("secret must be " + RULE + "; the part after " + PREFIX + " is not base64");
        }
        if (length < MIN_BYTES || length > MAX_BYTES) {
            throw new IllegalArgumentException("secret must be " + RULE + "; it holds " + length + " bytes");
        }
    }

    public static WebhookSecret generate(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key));
    }

    /**
     * The {@code webhook-signature} header for one attempt: HMAC-SHA256 over {@code id.timestamp.body} with the
     * decoded key, base64, labelled {@code v1}.
     */
    public String sign(String messageId, long timestampSeconds, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(text.substring(PREFIX.length())), "HmacSHA256"));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() { // secrets stay out of logs
        return "WebhookSecret[<hidden>]";
    }
}
