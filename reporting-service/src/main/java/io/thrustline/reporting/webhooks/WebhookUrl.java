package io.thrustline.reporting.webhooks;

import io.thrustline.http.Profile;
import java.net.URI;
import java.net.URISyntaxException;

/** Where a receiver may live: an absolute http(s) address without credentials in it; https only outside the local stack. */
public final class WebhookUrl {

    public static final int MAX_LENGTH = 2000;

    private WebhookUrl() {}

    /** @return the address as given, or an {@link IllegalArgumentException} saying what is wrong with it */
    public static String check(String url, Profile profile) {
        if (url == null || url.isBlank() || url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("url must be an absolute https address of at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid address: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean allowed = scheme.equals("https") || (scheme.equals("http") && profile == Profile.LOCAL);
        if (!allowed) {
            throw new IllegalArgumentException(profile == Profile.LOCAL ? "url must start with http:// or https://"
                    : "url must start with https://: deliveries carry athletes' data");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url needs a host and no user name, password or #fragment in it");
        }
        return url;
    }
}
