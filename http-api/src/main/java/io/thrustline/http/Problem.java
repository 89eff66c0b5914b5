package io.thrustline.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer, written as RFC 9457 {@code application/problem+json}: {@code type}, {@code title},
 * {@code status}, {@code detail}, plus any extra members (ingest's field list travels as {@code errors}).
 * Thrown from a handler; {@link ApiServer} writes it.
 */
public final class Problem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> members = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false); // an answer, not a fault: no stack trace to fill
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "about:blank", "Bad Request", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "about:blank", "Unauthorized", detail).header("WWW-Authenticate", "Bearer");
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "about:blank", "Forbidden", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "about:blank", "Not Found", detail);
    }

    public static Problem tooLarge(String detail) {
        return new Problem(413, "about:blank", "Content Too Large", detail);
    }

    public static Problem tooManyRequests(Duration retryAfter, String detail) {
        return new Problem(429, "/problems/rate-limited", "Too Many Requests", detail).retryAfter(retryAfter);
    }

    public static Problem unavailable(Duration retryAfter, String detail) {
        return new Problem(503, "about:blank", "Service Unavailable", detail).retryAfter(retryAfter);
    }

    /** Adds a member beside the standard ones, e.g. {@code errors}. */
    public Problem with(String name, Object value) {
        members.put(name, value);
        return this;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    private Problem retryAfter(Duration wait) {
        return header("Retry-After", String.valueOf(Math.max(1, (wait.toMillis() + 999) / 1000)));
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    /** The JSON body, members in the RFC's order. */
    public Map<String, Object> body() {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        body.putAll(members);
        return body;
    }
}
