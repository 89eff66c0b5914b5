package io.thrustline.stack;

import static io.thrustline.testing.TestStacks.call;
import static io.thrustline.testing.TestStacks.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.thrustline.ops.ReprocessCommand;
import io.thrustline.seeds.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.thrustline.infrastructure.StackConfig;
import io.thrustline.testing.TestStacks;
import io.thrustline.testing.WebhookReceiver;

/**
 * A change of rules.json re-derived over the running stack: every insight and balance judged again from the retained
 * events under the new rule book, and coaches switched over at once, never seeing neither book or both.
 */
class ReprocessTest {

    private static final String ADMIN = "demo-admin";

    @TempDir
    static Path dataDir;

    @TempDir
    static Path newRules;

    @Test
    void aNewRuleBookReplacesTheOldResultsAtOnceWithWithdrawalsAcknowledgementsAndWebhooksCarriedOver() throws Exception {
        StackConfig config = StackConfig.fromEnv(TestStacks.environment(dataDir));
        try (var stack = LocalStack.start(config); var receiver = WebhookReceiver.start(exchange -> 204)) {
            String athlete = "rb-ana";
            String qualified = "demo-gym:" + athlete;
            // Book 1 warns at 10 % and alerts at 15 %. Left 800 against right 704 (12 %): a WARNING; 640 (20 %): an ALERT;
            // 688 (14 %): a WARNING; and the third session in a row with the right leg 10 % or more behind: PERSISTENT_IMBALANCE.
            session(config, athlete, "s1", "T06:00:00Z", 88);
            session(config, athlete, "s2", "T08:00:00Z", 80);
            session(config, athlete, "s3", "T10:00:00Z", 86);
            String insights = config.reportingUrl() + "/v1/athletes/" + qualified + "/insights";
            assertThat(eventually(Duration.ofSeconds(60), () -> call("GET", insights, ADMIN, null).body().get("items").size() == 4)).isTrue();
            Set<String> bookOne = snapshot(insights);
            assertThat(bookOne).hasSize(4).allMatch(s -> s.endsWith("@1"));
            JsonNode alert = imbalance(insights, "s2");
            assertThat(alert.get("severity").asText()).isEqualTo("ALERT");
            String warningId = imbalance(insights, "s1").get("insightId").asText();
            String raisedId = imbalance(insights, "s3").get("insightId").asText();
            assertThat(call("POST", config.reportingUrl() + "/v1/insights/" + alert.get("insightId").asText() + "/ack", "demo-coach",
                    "{\"comment\": \"seen\"}").status()).as("not on the coach's roster yet").isEqualTo(404);
            call("PUT", config.reportingUrl() + "/v1/coaches/coach-demo/athletes", ADMIN, "{\"athleteIds\": [\"" + qualified + "\"]}");
            assertThat(call("POST", config.reportingUrl() + "/v1/insights/" + alert.get("insightId").asText() + "/ack", "demo-coach",
                    "{\"comment\": \"seen\"}").status()).isEqualTo(200);
            var hook = call("POST", config.reportingUrl() + "/v1/webhooks", ADMIN,
                    "{\"url\": \"" + receiver.url() + "\", \"minSeverity\": \"WARNING\"}");
            receiver.secret = hook.body().get("secret").asText();
            String cursor = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(config.reportingUrl() + "/v1/export/insights"))
                    .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.discarding())
                    .headers().firstValue("Thrustline-Next-Cursor").orElseThrow();

            // Book 2 warns at 13 % and alerts at 13.5 %: the 12 % session is no longer worth a word, the 14 % one is an ALERT.
            String rules = new String(Seeds.openResource(Seeds.RULES_FILE).readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(newRules.resolve(Seeds.RULES_FILE), rules.replace("\"version\": 1,", "\"version\": 2,")
                    .replace("\"warningPct\": 10.0", "\"warningPct\": 13.0").replace("\"alertPct\": 15.0", "\"alertPct\": 13.5"));
            Files.write(newRules.resolve(Seeds.CATALOG_FILE), Seeds.openResource(Seeds.CATALOG_FILE).readAllBytes());
            var env = new HashMap<>(stack.serviceEnvironment());
            env.put(Seeds.DIR_ENV, newRules.toString());

            // A coach's page, refreshed all through the reprocess: each look sees one whole book.
            List<Set<String>> seen = Collections.synchronizedList(new ArrayList<>());
            var watching = new AtomicBoolean(true);
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (watching.get()) {
                    try {
                        seen.add(snapshot(insights));
                    } catch (Exception e) {
                        seen.add(Set.of("error: " + e));
                    }
                }
            });
            var output = new ByteArrayOutputStream();
            var outcome = ReprocessCommand.run(env, new PrintStream(output, true, StandardCharsets.UTF_8), Duration.ofMinutes(5));
            Thread.sleep(500);
            watching.set(false);
            watcher.join();

            assertThat(outcome.from()).isEqualTo(1);
            assertThat(outcome.to()).isEqualTo(2);
            assertThat(outcome.withdrawnByTheNewBook()).isEqualTo(1);
            assertThat(outcome.acknowledgementsKept()).isEqualTo(1);
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("Rule book 2 is active (was 1)");
            Set<String> bookTwo = snapshot(insights);
            var expected = new TreeSet<String>();
            bookOne.stream().filter(s -> !s.startsWith(warningId)).forEach(s -> expected.add(s.replace("@1", "@2")));
            assertThat(bookTwo).isEqualTo(expected).hasSize(3);
            assertThat(imbalance(insights, "s3").get("severity").asText()).isEqualTo("ALERT");
            assertThat(seen).as("looks during the reprocess").isNotEmpty().allSatisfy(look -> assertThat(look).isIn(bookOne, bookTwo));
            int firstOfTwo = seen.indexOf(bookTwo);
            assertThat(firstOfTwo).as("the new book showed once it was complete").isGreaterThanOrEqualTo(0);
            assertThat(seen.subList(firstOfTwo, seen.size())).as("and never the old one after it").allMatch(bookTwo::equals);

            JsonNode kept = imbalance(insights, "s2");
            assertThat(kept.get("ruleBook").asInt()).isEqualTo(2);
            assertThat(kept.get("ackComment").asText()).isEqualTo("seen");
            var books = call("GET", config.reportingUrl() + "/v1/rule-books", ADMIN, null).body().get("items");
            assertThat(books.findValuesAsText("state")).containsExactly("retired", "active");
            var balances = call("GET", config.reportingUrl() + "/v1/athletes/" + qualified + "/balance", ADMIN, null).body().get("items");
            assertThat(balances).hasSize(3).allSatisfy(b -> assertThat(b.get("ruleBook").asInt()).isEqualTo(2));

            // A research pull since before the switch gets the re-derived rows, the withdrawal as a row.
            String pulled = TestStacks.text(config.reportingUrl() + "/v1/export/insights?changedSince=" + cursor, ADMIN);
            List<String> rows = pulled.lines().skip(1).toList();
            assertThat(pulled.lines().findFirst().orElseThrow()).endsWith(",retracted,retracted_at,rule_book");
            assertThat(rows).hasSize(4).allMatch(row -> row.endsWith(",2"));
            assertThat(rows).filteredOn(row -> row.contains(",true,")).hasSize(1);

            // Receivers heard of what changed for them once the new book was active, and nothing while it was being built:
            // the 12 % WARNING withdrawn, the 14 % one raised to an ALERT; the unchanged ones not again.
            // Everything the switch queued was queued in its transaction: once nothing waits, the receiver has it all.
            String waiting = config.reportingUrl() + "/v1/webhooks/" + hook.body().get("webhookId").asText() + "/deliveries?status=pending";
            assertThat(eventually(Duration.ofSeconds(15), () -> call("GET", waiting, ADMIN, null).body().get("items").isEmpty())).isTrue();
            assertThat(receiver.accepted()).containsExactlyInAnyOrder(warningId + ".2", raisedId + ".2");
            assertThat(receiver.bodies.get(warningId + ".2").get("type").asText()).isEqualTo("insight.withdrawn");
            assertThat(receiver.bodies.get(raisedId + ".2").at("/data/severity").asText()).isEqualTo("ALERT");
            for (JsonNode body : receiver.bodies.values()) {
                assertThat(java.time.Instant.parse(body.get("timestamp").asText())).as("announced when the switch began, not before")
                        .isAfterOrEqualTo(outcome.switchedAt());
            }
            assertThat(receiver.badSignatures.get()).isZero();

            // Book 3 says the same as book 2: nothing is news to receivers, the withdrawal included; books 1 and 2 are retired.
            Files.writeString(newRules.resolve(Seeds.RULES_FILE), Files.readString(newRules.resolve(Seeds.RULES_FILE))
                    .replace("\"version\": 2,", "\"version\": 3,"));
            var third = ReprocessCommand.run(env, new PrintStream(new ByteArrayOutputStream()), Duration.ofMinutes(5));
            assertThat(third.from()).isEqualTo(2);
            assertThat(snapshot(insights)).isEqualTo(new TreeSet<>(bookTwo.stream().map(s -> s.replace("@2", "@3")).toList()));
            assertThat(eventually(Duration.ofSeconds(15), () -> call("GET", waiting, ADMIN, null).body().get("items").isEmpty())).isTrue();
            assertThat(call("GET", waiting.replace("pending", "delivered"), ADMIN, null).body().get("items")).as("nothing queued again").hasSize(2);
            assertThat(receiver.accepted()).as("nothing announced again").hasSize(2);
            assertThat(call("GET", config.reportingUrl() + "/v1/rule-books", ADMIN, null).body().get("items").findValuesAsText("state"))
                    .containsExactly("retired", "retired", "active");

            // Running it again changes nothing; an older book is refused.
            assertThat(ReprocessCommand.run(env, new PrintStream(new ByteArrayOutputStream()), Duration.ofMinutes(1)).insights()).isZero();
            env.remove(Seeds.DIR_ENV);
            assertThatThrownBy(() -> ReprocessCommand.run(env, new PrintStream(new ByteArrayOutputStream()), Duration.ofMinutes(1)))
                    .hasMessageContaining("older than the active one");
        }
    }

    private static void session(StackConfig config, String athlete, String session, String time, double rightKg) throws Exception {
        String at = TestStacks.RECENT_DAY + time;
        String sets = """
                {"sets": [
                  {"eventId": "%s", "athleteId": "%s", "sessionId": "%s", "performedAt": "%s", "exercise": "barbell_single_leg_hip_thrust", "side": "LEFT", "reps": 8, "loadKg": 100},
                  {"eventId": "%s", "athleteId": "%s", "sessionId": "%s", "performedAt": "%s", "exercise": "barbell_single_leg_hip_thrust", "side": "RIGHT", "reps": 8, "loadKg": %s}
                ]}""".formatted(UUID.randomUUID(), athlete, session, at, UUID.randomUUID(), athlete, session, at, rightKg);
        assertThat(call("POST", config.ingestUrl() + "/v1/sets", "demo-key", sets).status()).isEqualTo(202);
        assertThat(call("POST", config.ingestUrl() + "/v1/sessions/" + session + "/complete", "demo-key",
                "{\"athleteId\": \"" + athlete + "\", \"completedAt\": \"" + at + "\"}").status()).isEqualTo(202);
    }

    /** What the coach's feed shows: each insight with the book that raised it. */
    private static Set<String> snapshot(String insights) throws Exception {
        var items = call("GET", insights, ADMIN, null).body().get("items");
        var look = new TreeSet<String>();
        items.forEach(i -> look.add(i.get("insightId").asText() + "@" + i.get("ruleBook").asInt()));
        return look;
    }

    private static JsonNode imbalance(String insights, String session) throws Exception {
        for (JsonNode i : call("GET", insights, ADMIN, null).body().get("items")) {
            if (i.get("sessionId").asText().equals(session) && i.get("rule").asText().equals("LEFT_RIGHT_IMBALANCE")) {
                return i;
            }
        }
        throw new AssertionError("no imbalance insight for " + session);
    }
}
