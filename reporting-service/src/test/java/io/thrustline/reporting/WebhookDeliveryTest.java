package io.thrustline.reporting;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.thrustline.reporting.ReportingConfig;
import io.thrustline.reporting.ReportingService;
import io.thrustline.reporting.webhooks.DeliveryPolicy;
import io.thrustline.schemas.Insight;
import io.thrustline.schemas.Severity;
import io.thrustline.schemas.Side;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import io.thrustline.testing.WebhookReceiver;

/**
 * Webhooks over the real broker, registry and PostgreSQL, delivered to real HTTP receivers started here: every
 * insight version reaches each receiver once, signed; a receiver that fails and recovers misses nothing; one that
 * hangs delays nobody else; one that stays down is dead-lettered and can be sent again.
 */
class WebhookDeliveryTest extends OverReportingInfrastructure {

    private static final ObjectMapper JSON = new ObjectMapper();


    private ReportingConfig reportingConfig(String group, DeliveryPolicy policy) {
        return reportingConfig(group).withWebhooks(policy);
    }

    @Test
    void everyReceiverHearsOfEachInsightVersionOnceSignedAndAHangingOneDelaysNobody() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String onRoster = "gym-w:ava-" + suffix;
        String elsewhere = "gym-w:ben-" + suffix;
        // Fast retries; a hanging receiver costs its lane five seconds per attempt.
        Duration timeout = Duration.ofSeconds(5);
        var policy = new DeliveryPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMinutes(5), timeout, Duration.ofMillis(100));
        try (var hanging = WebhookReceiver.hanging();
                var steady = WebhookReceiver.start(exchange -> 204);
                var flaky = WebhookReceiver.start(failingFirst(3));
                var coachs = WebhookReceiver.start(exchange -> 200);
                var service = ReportingService.start(reportingConfig("webhooks-" + suffix, policy))) {
            String base = "http://127.0.0.1:" + service.port();
            assertThat(call("PUT", base + "/v1/coaches/coach-demo/athletes", "demo-admin", "{\"athleteIds\": [\"" + onRoster + "\"]}").status())
                    .isEqualTo(200);
            String hangingId = register(base, hanging, "{\"minSeverity\": \"INFO\"}");
            String steadyId = register(base, steady, "{\"minSeverity\": \"INFO\"}");
            String flakyId = register(base, flaky, "{}"); // ALERT and up, the default
            String coachId = register(base, coachs, "{\"minSeverity\": \"WARNING\", \"coachId\": \"coach-demo\"}");

            Insight alert = insight(onRoster, "s1", Severity.ALERT);
            Insight warning = insight(onRoster, "s2", Severity.WARNING);
            Insight info = insight(onRoster, "s3", Severity.INFO);
            Insight otherAlert = insight(elsewhere, "s1", Severity.ALERT);
            send(onRoster, alert, warning, info);
            send(elsewhere, otherAlert);
            assertThat(eventually(Duration.ofSeconds(30), () -> steady.accepted().size() == 4)).isTrue();
            assertThat(hanging.firstRequestAt).as("the hanging receiver was asked").isNotZero();
            assertThat(steady.lastAcceptedAt - hanging.firstRequestAt)
                    .as("the steady receiver had everything before the hanging receiver's first attempt could time out")
                    .isLessThan(timeout.toNanos());

            // A copy read again is not news: sent alone (with a marker to know it was read), it announces nothing.
            Insight marker = insight(onRoster, "s4", Severity.INFO);
            send(onRoster, alert, marker);
            assertThat(eventually(Duration.ofSeconds(30), () -> steady.accepted().contains(marker.getInsightId() + ".1"))).isTrue();
            // A withdrawal and a change of severity are new versions.
            Insight withdrawn = Insight.newBuilder(alert).setRetracted(true).build();
            Insight raised = Insight.newBuilder(warning).setSeverity(Severity.ALERT).setMessage("now worse").build();
            send(onRoster, withdrawn, raised);

            String a = alert.getInsightId();
            String w = warning.getInsightId();
            List<String> everything = List.of(a + ".1", w + ".1", info.getInsightId() + ".1", otherAlert.getInsightId() + ".1",
                    marker.getInsightId() + ".1", a + ".2", w + ".2");
            assertThat(eventually(Duration.ofSeconds(30), () -> steady.accepted().size() == 7 && flaky.accepted().size() == 4
                    && coachs.accepted().size() == 4)).as("every receiver got its versions: steady %s, flaky %s, coach %s",
                    steady.accepted(), flaky.accepted(), coachs.accepted()).isTrue();
            // A last ALERT every receiver hears of: each lane delivers in order, so once it has arrived everywhere, any
            // second copy of the earlier versions would have arrived before it.
            Insight last = insight(onRoster, "s9", Severity.ALERT);
            send(onRoster, last);
            String lastId = last.getInsightId() + ".1";
            assertThat(eventually(Duration.ofSeconds(30), () -> steady.accepted().contains(lastId) && flaky.accepted().contains(lastId)
                    && coachs.accepted().contains(lastId))).isTrue();
            everything = new java.util.ArrayList<>(everything);
            everything.add(lastId);
            assertThat(steady.accepted()).containsExactlyInAnyOrderElementsOf(everything);
            assertThat(flaky.accepted()).containsExactlyInAnyOrder(a + ".1", otherAlert.getInsightId() + ".1", a + ".2", w + ".2", lastId);
            assertThat(coachs.accepted()).containsExactlyInAnyOrder(a + ".1", w + ".1", a + ".2", w + ".2", lastId);
            assertThat(flaky.refused.get()).isEqualTo(3);
            for (WebhookReceiver receiver : List.of(steady, flaky, coachs)) {
                assertThat(receiver.badSignatures.get()).as("requests whose signature did not verify").isZero();
            }
            JsonNode withdrawal = steady.bodies.get(a + ".2");
            assertThat(withdrawal.get("type").asText()).isEqualTo("insight.withdrawn");
            assertThat(withdrawal.at("/data/version").asInt()).isEqualTo(2);
            assertThat(withdrawal.at("/data/athleteId").asText()).isEqualTo(onRoster);
            assertThat(steady.bodies.get(w + ".2").at("/data/severity").asText()).isEqualTo("ALERT");
            // In order per receiver: the coach's receiver heard of the alert before its withdrawal.
            assertThat(coachs.order.indexOf(a + ".1")).isLessThan(coachs.order.indexOf(a + ".2"));

            var deliveries = call("GET", base + "/v1/webhooks/" + flakyId + "/deliveries", "demo-admin", null);
            assertThat(deliveries.status()).isEqualTo(200);
            assertThat(deliveries.body().get("items")).hasSize(5).allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("delivered"));
            JsonNode first = deliveries.body().get("items").get(4); // newest first
            assertThat(first.get("attempts").asInt()).isEqualTo(4);
            assertThat(first.get("lastResponse").asInt()).isEqualTo(200);
            var stuck = call("GET", base + "/v1/webhooks/" + hangingId + "/deliveries?status=pending", "demo-admin", null).body().get("items");
            assertThat(stuck).isNotEmpty();
            assertThat(eventually(Duration.ofSeconds(15), () -> {
                var oldest = call("GET", base + "/v1/webhooks/" + hangingId + "/deliveries?status=pending", "demo-admin", null).body().get("items");
                return oldest.get(oldest.size() - 1).path("lastError").asText().toLowerCase().contains("timed out");
            })).as("the hanging receiver's attempt timed out and waits for its retry").isTrue();
            assertThat(call("GET", base + "/v1/webhooks/" + flakyId + "/deliveries", "demo-coach", null).status()).isEqualTo(403);
            assertThat(call("GET", base + "/metrics", null, null).body().asText()).contains("thrustline_webhooks_delivered_total");

            for (String id : List.of(steadyId, flakyId, hangingId, coachId)) {
                assertThat(call("DELETE", base + "/v1/webhooks/" + id, "demo-admin", null).status()).isEqualTo(204);
            }
            assertThat(call("GET", base + "/v1/webhooks/" + hangingId + "/deliveries", "demo-admin", null).status()).isEqualTo(404);
        }
    }

    @Test
    void aWebhookReceiverDownForTheWholeWindowIsDeadLetteredAndCanBeSentAgain() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String athlete = "gym-w:cy-" + suffix;
        var policy = new DeliveryPolicy(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofMillis(100));
        var down = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (var receiver = WebhookReceiver.start(exchange -> down.get() ? 500 : 200);
                var service = ReportingService.start(reportingConfig("webhooks-dead-" + suffix, policy))) {
            String base = "http://127.0.0.1:" + service.port();
            String id = register(base, receiver, "{}");
            Insight alert = insight(athlete, "s1", Severity.ALERT);
            send(athlete, alert);
            String deliveries = base + "/v1/webhooks/" + id + "/deliveries";
            assertThat(eventually(Duration.ofSeconds(30), () -> call("GET", deliveries + "?status=dead", "demo-admin", null)
                    .body().get("items").size() == 1)).isTrue();
            JsonNode dead = call("GET", deliveries, "demo-admin", null).body().get("items").get(0);
            assertThat(dead.get("attempts").asInt()).isGreaterThanOrEqualTo(3); // retried across the window, not once
            assertThat(dead.get("lastResponse").asInt()).isEqualTo(500);
            assertThat(receiver.accepted()).isEmpty();

            down.set(false);
            long deliveryId = dead.get("deliveryId").asLong();
            assertThat(call("POST", deliveries + "/" + deliveryId + "/redeliver", "demo-coach", null).status()).isEqualTo(403);
            var again = call("POST", deliveries + "/" + deliveryId + "/redeliver", "demo-admin", null);
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.body().get("deliveryId").asLong()).as("queued anew, behind what waits").isGreaterThan(deliveryId);
            assertThat(eventually(Duration.ofSeconds(10), () -> receiver.accepted().size() == 1)).isTrue();
            assertThat(receiver.accepted()).containsExactly(alert.getInsightId() + ".1");
            assertThat(call("POST", deliveries + "/" + deliveryId + "/redeliver", "demo-admin", null).status())
                    .as("only a dead-lettered delivery is sent again").isEqualTo(404);
            call("DELETE", base + "/v1/webhooks/" + id, "demo-admin", null);
        }
    }

    @Test
    void onlyAnAdminRegistersAndOnlySoundAddressesAndSecretsAreTaken() throws Exception {
        try (var service = ReportingService.start(reportingConfig("webhooks-api", DeliveryPolicy.defaults()))) {
            String hooks = "http://127.0.0.1:" + service.port() + "/v1/webhooks";
            String good = "{\"url\": \"http://127.0.0.1:9/hook\"}";
            assertThat(call("POST", hooks, null, good).status()).isEqualTo(401);
            assertThat(call("POST", hooks, "demo-coach", good).status()).isEqualTo(403);
            assertThat(call("POST", hooks, "demo-researcher", good).status()).isEqualTo(403);
            assertThat(call("GET", hooks, "demo-coach", null).status()).isEqualTo(403);
            for (String bad : List.of("{\"url\": \"ftp://127.0.0.1/hook\"}", "{\"url\": \"http://user:pw@127.0.0.1/hook\"}", "{\"url\": 5}",
                    "{\"url\": \"http://127.0.0.1/h\", \"secret\": \"hunter2\"}", "{\"url\": \"http://127.0.0.1/h\", \"minSeverity\": \"LOUD\"}",
                    "{\"url\": \"http://127.0.0.1/h\", \"coachId\": \"not a coach\"}", "{\"url\": \"http://127.0.0.1/h\", \"colour\": \"red\"}",
                    "[]", "not json")) {
                var answer = call("POST", hooks, "demo-admin", bad);
                assertThat(answer.status()).as(bad).isEqualTo(400);
                assertThat(answer.body().get("detail").asText()).as(bad).isNotBlank();
            }
            var created = call("POST", hooks, "demo-admin", good);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.body().get("secret").asText()).startsWith("whsec_"); // generated and shown once
            String id = created.body().get("webhookId").asText();
            var listed = call("GET", hooks, "demo-admin", null).body().get("items");
            assertThat(listed).anySatisfy(h -> {
                assertThat(h.get("webhookId").asText()).isEqualTo(id);
                assertThat(h.get("minSeverity").asText()).isEqualTo("ALERT");
                assertThat(h.has("secret")).isFalse();
            });
            assertThat(call("GET", hooks + "/not-an-id/deliveries", "demo-admin", null).status()).isEqualTo(400);
            assertThat(call("GET", hooks + "/" + UUID.randomUUID() + "/deliveries", "demo-admin", null).status()).isEqualTo(404);
            assertThat(call("DELETE", hooks + "/" + id, "demo-admin", null).status()).isEqualTo(204);
            assertThat(call("DELETE", hooks + "/" + id, "demo-admin", null).status()).isEqualTo(404);
        }
    }

    private static String register(String base, WebhookReceiver receiver, String options) throws Exception {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(options);
        body.put("url", receiver.url());
        var answer = call("POST", base + "/v1/webhooks", "demo-admin", body.toString());
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
        receiver.secret = answer.body().get("secret").asText();
        return answer.body().get("webhookId").asText();
    }

    private void send(String athlete, Insight... insights) throws Exception {
        send(topics.insights(), athlete, List.of(insights));
    }

    private static Insight insight(String athlete, String session, Severity severity) {
        return Insight.newBuilder().setInsightId(UUID.nameUUIDFromBytes((athlete + session).getBytes(StandardCharsets.UTF_8)).toString())
                .setAthleteId(athlete).setSessionId(session).setRule("LEFT_RIGHT_IMBALANCE").setSeverity(severity)
                .setExercise("barbell_single_leg_hip_thrust").setSide(Side.RIGHT).setDetectedAt(Instant.parse("2026-11-20T08:00:00Z"))
                .setMetrics(Map.of("asymmetryPct", 18.0)).setMessage("m").setAdvice("a").setTriggerEventId(null).setRetracted(false).build();
    }

    /** Refuses the first {@code n} requests with 503, then takes everything. */
    private static Function<HttpExchange, Integer> failingFirst(int n) {
        var seen = new AtomicInteger();
        return exchange -> seen.incrementAndGet() <= n ? 503 : 200;
    }
}
