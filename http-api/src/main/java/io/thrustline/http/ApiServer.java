package io.thrustline.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server both services run: one connector with a deep accept queue and a connection cap, virtual
 * threads, idle and body-read time bounds, security headers on every answer, errors as problem+json, and
 * {@code /metrics} guarded by the profile's rule. Each service adds only its routes.
 */
public final class ApiServer implements AutoCloseable {

    /** Told about every answered request, with the route template (never the raw path: one series per id). */
    @FunctionalInterface
    public interface RequestObserver {
        void answered(String route, int status, float millis);
    }

    /** Sent with every answer; the coach page is written so that it needs nothing this policy forbids. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    // Java's default listen backlog of 50 overflowed under connection bursts (3,644 resets in one ingest
    // benchmark run); 1024 gave none.
    private static final int ACCEPT_QUEUE = 1024;
    /** How many times the body limit is read and dropped before a 413, so that the client still sending hears it. */
    static final long DISCARD_FACTOR = 8;

    private final Javalin javalin;

    private ApiServer(Javalin javalin) {
        this.javalin = javalin;
    }

    /**
     * Starts a server with the service's routes.
     *
     * @param metrics the Prometheus text for {@code /metrics}
     */
    public static ApiServer start(String service, HttpSettings settings, Consumer<JavalinConfig> routes, Supplier<String> metrics,
            RequestObserver observer) {
        if (settings.profile() != Profile.LOCAL && settings.metricsToken() == null) {
            log.warn("{}: {} is not set, so /metrics answers 401 to everyone", service, HttpSettings.METRICS_TOKEN_VARIABLE);
        }
        var javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.addConnector((server, httpConfig) -> {
                var connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setPort(settings.port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                server.addBean(new NetworkConnectionLimit(settings.maxConnections(), connector));
                return connector;
            });
            c.http.maxRequestSize = settings.maxBodyBytes();
            c.concurrency.useVirtualThreads = true; // a slow client holds a cheap virtual thread until a time bound cuts it off
            c.jetty.modifyHttpConfiguration(h -> {
                h.setIdleTimeout(settings.idleTimeout().toMillis());
                h.setSendServerVersion(false);
            });
            c.requestLogger.http((ctx, ms) -> observer.answered(route(ctx), ctx.statusCode(), ms));
            c.routes.before(ApiServer::securityHeaders);
            c.routes.get("/metrics", ctx -> {
                requireMetricsAccess(ctx, settings);
                ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
            });
            c.routes.exception(Problem.class, (problem, ctx) -> problem(ctx, problem));
            c.routes.exception(HttpResponseException.class, (e, ctx) ->
                    problem(ctx, new Problem(e.getStatus(), "about:blank", title(e.getStatus()), e.getMessage())));
            c.routes.exception(Exception.class, (e, ctx) -> {
                String reference = UUID.randomUUID().toString();
                log.error("{}: unexpected failure answering {} {} (reference {})", service, ctx.method(), route(ctx), reference, e);
                problem(ctx, new Problem(500, "about:blank", "Internal Server Error",
                        "the request could not be completed; quote reference " + reference + " when reporting it"));
            });
            c.routes.error(404, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, Problem.notFound("no such resource: " + truncate(ctx.path(), 100)));
                }
            });
            c.routes.error(405, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, new Problem(405, "about:blank", "Method Not Allowed", ctx.method() + " is not allowed here"));
                }
            });
            routes.accept(c);
        }).start();
        log.info("{} listening on port {}", service, javalin.port());
        return new ApiServer(javalin);
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }

    /** Writes {@code body} as JSON with {@code status}. */
    public static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write response", e);
        }
    }

    /** The bearer token of the request, or a 401 problem. */
    public static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw Problem.unauthorized("send 'Authorization: Bearer <credential>'");
        }
        return header.substring(7).trim();
    }

    /**
     * The request body, read within the request timeout and the size limit: a client that trickles its body
     * is cut off with 408 instead of holding the request open for ever.
     */
    public static byte[] body(Context ctx, HttpSettings settings) {
        long declared = ctx.req().getContentLengthLong();
        long deadline = System.nanoTime() + settings.requestTimeout().toNanos();
        if (declared > settings.maxBodyBytes()) {
            if (declared <= DISCARD_FACTOR * settings.maxBodyBytes()) { // a larger body is cut off at once: reading it is no use
                discardRest(ctx, settings, deadline, true);
            }
            throw Problem.tooLarge("the body is " + declared + " bytes; the limit is " + settings.maxBodyBytes());
        }
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared >= 0) {
                // The declared length, read straight into an array of that size: a 64 KiB read buffer per request was
                // a fifth of ingest's garbage at 1,000 single-set POSTs a second (JFR allocation profile), and GC
                // pauses were what set its p99.
                byte[] body = new byte[(int) declared];
                int read = 0;
                for (int n; read < body.length && (n = in.read(body, read, body.length - read)) >= 0; read += n) {
                    if (System.nanoTime() > deadline) {
                        throw timedOut(settings);
                    }
                }
                if (read < body.length) {
                    throw new Problem(400, "about:blank", "Bad Request", "the body ended after " + read + " of the " + declared + " bytes declared");
                }
                return body;
            }
            var out = new ByteArrayOutputStream(8192);
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
                if (out.size() > settings.maxBodyBytes()) {
                    discardRest(ctx, settings, deadline, false);
                    throw Problem.tooLarge("the body is larger than the limit of " + settings.maxBodyBytes() + " bytes");
                }
                if (System.nanoTime() > deadline) {
                    throw timedOut(settings);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private static Problem timedOut(HttpSettings settings) {
        return new Problem(408, "about:blank", "Request Timeout", "the body did not arrive within " + settings.requestTimeout().toSeconds() + " s");
    }

    /**
     * Reads and drops what is left of a body that will be refused, up to {@link #DISCARD_FACTOR} times the limit and
     * within the request timeout. Closing a connection with unread bytes in it resets it, and a client still sending
     * then loses the 413 and sees no answer at all; past the bound the connection is closed all the same. A client
     * that sent {@code Expect: 100-continue} and of whose body nothing was read yet has sent none, so nothing is
     * read and it is told before it sends (reading would invite the body).
     */
    private static void discardRest(Context ctx, HttpSettings settings, long deadline, boolean nothingReadYet) {
        String expect = ctx.header("Expect");
        if (nothingReadYet && expect != null && expect.equalsIgnoreCase("100-continue")) {
            return;
        }
        long budget = DISCARD_FACTOR * settings.maxBodyBytes();
        byte[] chunk = new byte[64 * 1024];
        try {
            InputStream in = ctx.req().getInputStream();
            for (int n; budget > 0 && System.nanoTime() < deadline && (n = in.read(chunk)) >= 0; ) {
                budget -= n;
            }
        } catch (IOException gone) {
            // the client stopped sending; the 413 goes out if it can
        }
    }

    /** {@code text} cut to at most {@code max} characters, marked when cut: echoed input never grows with an attack. */
    public static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "…(" + text.length() + " characters)";
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void requireMetricsAccess(Context ctx, HttpSettings settings) {
        if (settings.metricsToken() == null) {
            if (settings.profile() == Profile.LOCAL) {
                return;
            }
            throw Problem.unauthorized("/metrics is closed: set " + HttpSettings.METRICS_TOKEN_VARIABLE + " and scrape with it as a bearer token");
        }
        String presented = bearerToken(ctx);
        if (HashedSecret.find(List.of(HashedSecret.of(settings.metricsToken(), true)), presented).isEmpty()) {
            throw Problem.unauthorized("the metrics token is not valid");
        }
    }

    private static void problem(Context ctx, Problem problem) {
        problem.headers().forEach(ctx::header);
        try {
            ctx.status(problem.status()).contentType(PROBLEM_JSON).result(Json.MAPPER.writeValueAsBytes(problem.body()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write problem", e);
        }
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> status >= 500 ? "Server Error" : "Client Error";
        };
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException noMatchedRoute) {
            return "unmatched";
        }
    }
}
