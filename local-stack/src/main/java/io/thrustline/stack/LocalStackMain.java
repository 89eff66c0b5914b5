package io.thrustline.stack;

import io.thrustline.seeds.DemoGym;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import io.thrustline.infrastructure.PortsInUseException;
import io.thrustline.infrastructure.StackConfig;

/** {@code up}: the stack alone. {@code demo [--once]}: the stack plus the demo gym; --once then exits 0 or 1. */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        String command = arguments.isEmpty() ? "up" : arguments.get(0);
        boolean once = arguments.contains("--once");
        if (!command.equals("up") && !command.equals("demo")) {
            System.err.println("usage: LocalStackMain up | demo [--once]");
            System.exit(2);
        }
        // The registry client logs through java.util.logging; send it where everything else goes.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        StackConfig config = StackConfig.fromEnv(System.getenv());
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } catch (PortsInUseException e) {
            System.err.println(e.getMessage()); // says which port, who holds it and which variable moves it: no stack trace needed
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stack-shutdown"));
        int exitCode = 0;
        if (command.equals("demo")) {
            exitCode = demo(config) ? 0 : 1;
        }
        printAddresses(config);
        if (once) {
            stack.close();
            System.exit(exitCode);
        }
        System.out.println("Press Ctrl-C to stop. Data stays in " + config.dataDir() + " (./thrustline clean removes it).");
        new CountDownLatch(1).await();
    }

    private static boolean demo(StackConfig config) throws Exception {
        var run = new DemoRun(config);
        var played = run.send(DemoGym.load(), Clock.systemUTC());
        var results = run.awaitInsights(played, Duration.ofSeconds(60));
        System.out.println();
        System.out.println("Demo gym: " + played.size() + " sessions sent through ingest-service; insights stored in PostgreSQL:");
        boolean allGood = true;
        for (var result : results) {
            allGood &= result.asExpected();
            System.out.printf("  %-3s %-34s %s%n", result.asExpected() ? "ok" : "BAD", result.played().sessionId(),
                    result.actual().isEmpty() ? "(no insights)" : String.join(", ", result.actual()));
            if (!result.asExpected()) {
                System.out.println("      expected: " + (result.expected().isEmpty() ? "(no insights)" : String.join(", ", result.expected())));
            }
            System.out.println("      " + result.played().session().label());
        }
        System.out.println(allGood ? "Every rule fired as expected." : "Some sessions did not produce the expected insights.");
        return allGood;
    }

    private static void printAddresses(StackConfig config) {
        System.out.println();
        System.out.println("Thrustline is running:");
        System.out.println("  coach page      " + config.reportingUrl() + "/  (sign in with the token demo-coach, or demo-admin to see everyone)");
        System.out.println("  ingest API      " + config.ingestUrl() + "/v1/sets        (Authorization: Bearer demo-key)");
        System.out.println("  reporting API   " + config.reportingUrl() + "/v1/athletes/demo-gym:ath-mia/insights  (Bearer demo-admin or demo-coach)");
        System.out.println("  streams health  " + config.streamsUrl() + "/health/ready  (and /metrics)");
        System.out.println("  Kafka           " + config.bootstrapServers());
        System.out.println("  schema registry " + config.registryUrl() + "/apis/registry/v3");
        System.out.println("  PostgreSQL      " + config.jdbcUrl("thrustline") + " (user thrustline, password thrustline)");
    }
}
