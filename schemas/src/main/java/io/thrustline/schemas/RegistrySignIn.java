package io.thrustline.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Authorization header for our own registry requests (the schema reads behind {@link RegistryWireSerde}):
 * basic credentials, or an OAuth 2 client-credentials token fetched and kept until shortly before it expires.
 */
final class RegistrySignIn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistrySettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant tokenExpires = Instant.MIN;

    RegistrySignIn(RegistrySettings settings) {
        this.settings = settings;
    }

    synchronized Optional<String> header() {
        if (settings.username() != null) {
            String pair = settings.username() + ":" + settings.password();
            return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (settings.tokenUrl() == null) {
            return Optional.empty();
        }
        if (token == null || Instant.now().isAfter(tokenExpires)) {
            fetchToken();
        }
        return Optional.of("Bearer " + token);
    }

    private void fetchToken() {
        String form = "grant_type=client_credentials&client_id=" + enc(settings.clientId()) + "&client_secret=" + enc(settings.clientSecret())
                + (settings.scope() == null ? "" : "&scope=" + enc(settings.scope()));
        var request = HttpRequest.newBuilder(URI.create(settings.tokenUrl())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new SerializationException("the registry's token endpoint answered HTTP " + response.statusCode());
            }
            JsonNode body = JSON.readTree(response.body());
            token = body.path("access_token").asText(null);
            if (token == null) {
                throw new SerializationException("the registry's token endpoint gave no access_token");
            }
            // Renewed a minute early, so a token never expires between fetching it and using it.
            tokenExpires = Instant.now().plusSeconds(Math.max(30, body.path("expires_in").asLong(300) - 60));
        } catch (IOException e) {
            throw new SerializationException("cannot reach the registry's token endpoint", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerializationException("interrupted while fetching a registry token", e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
