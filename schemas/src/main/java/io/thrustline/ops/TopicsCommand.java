package io.thrustline.ops;

import io.thrustline.schemas.KafkaSettings;
import io.thrustline.schemas.TopicPlan;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@code ./thrustline topics [--check]}: creates the pipeline's missing topics from the {@link TopicPlan}
 * and checks the existing ones against it (partitions, replication factor, {@code min.insync.replicas},
 * cleanup policy, retention). With {@code --check} it creates nothing. It never changes an existing topic:
 * more partitions would move athletes to other partitions under running state stores, and a retention or
 * replication change is an operator's decision.
 *
 * <p>Exit status: 0 every topic exists as planned; 1 a topic differs from the plan, is missing under
 * {@code --check}, or could not be created; 2 wrong usage or settings, or Kafka could not be reached or
 * refused the credentials.
 */
public final class TopicsCommand {

    private TopicsCommand() {}

    public static void main(String[] args) {
        int status;
        try {
            status = run(List.of(args), System.getenv(), System.out, System.err);
        } catch (InterruptedException e) {
            status = 2;
        }
        System.exit(status);
    }

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.size() > 1 || (args.size() == 1 && !args.getFirst().equals("--check"))) {
            err.println("usage: ./thrustline topics [--check]   (creates missing topics and checks the rest; --check only checks)");
            return 2;
        }
        boolean checkOnly = args.contains("--check");
        TopicPlan plan;
        KafkaSettings kafka;
        try {
            plan = TopicPlan.fromEnv(env);
            kafka = KafkaSettings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            err.println("thrustline topics: " + e.getMessage());
            return 2;
        }
        int timeoutMs = Integer.parseInt(String.valueOf(kafka.clientProperties().getOrDefault(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000")));
        Map<String, Object> props = kafka.common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "thrustline-topics");
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeoutMs, 15_000)));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        out.println("topics on " + kafka.bootstrapServers() + ": " + plan.partitions() + " partitions, replication factor "
                + plan.replicationFactor() + ", min.insync.replicas " + plan.minInsyncReplicas() + (checkOnly ? " (checking only)" : ""));
        try (Admin admin = Admin.create(props)) {
            int brokers;
            try {
                brokers = admin.describeCluster().nodes().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS).size();
            } catch (ExecutionException | TimeoutException e) {
                err.println(cannotConnect(kafka, e));
                return 2;
            }
            var problems = new ArrayList<String>();
            var missing = new ArrayList<TopicPlan.Spec>();
            var present = new ArrayList<TopicPlan.Spec>();
            var described = admin.describeTopics(plan.names()).topicNameValues();
            Map<String, TopicDescription> descriptions = new java.util.HashMap<>();
            for (TopicPlan.Spec spec : plan.topics()) {
                try {
                    descriptions.put(spec.name(), described.get(spec.name()).get(timeoutMs + 1000L, TimeUnit.MILLISECONDS));
                    present.add(spec);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        missing.add(spec);
                    } else {
                        err.println(cannotConnect(kafka, e));
                        return 2;
                    }
                } catch (TimeoutException e) {
                    err.println(cannotConnect(kafka, e));
                    return 2;
                }
            }
            for (TopicPlan.Spec spec : missing) {
                if (checkOnly) {
                    problems.add(spec.name() + " is missing; run ./thrustline topics (without --check) to create it");
                    out.println("MISSING  " + spec.name());
                } else if (spec.replicationFactor() > brokers) {
                    problems.add(spec.name() + " not created: replication factor " + spec.replicationFactor() + " needs " + spec.replicationFactor()
                            + " brokers, the cluster has " + brokers + "; set " + TopicPlan.REPLICATION_FACTOR + " (and "
                            + TopicPlan.MIN_INSYNC_REPLICAS + ") to fit it");
                    out.println("FAILED   " + spec.name());
                } else {
                    try {
                        admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs())))
                                .all().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
                        out.println("created  " + spec.name() + "  " + summary(spec.partitions(), spec.replicationFactor(), spec.configs()));
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof TopicExistsException) { // made by someone else meanwhile: check it below
                            problems.add(spec.name() + " was created by someone else while this ran; run again to check it");
                            out.println("RACED    " + spec.name());
                        } else {
                            problems.add(spec.name() + " could not be created: " + reason(e));
                            out.println("FAILED   " + spec.name());
                        }
                    } catch (TimeoutException e) {
                        problems.add(spec.name() + " could not be created within " + timeoutMs / 1000 + " s");
                        out.println("FAILED   " + spec.name());
                    }
                }
            }
            if (!present.isEmpty()) {
                Map<ConfigResource, Config> configs;
                try {
                    configs = admin.describeConfigs(present.stream().map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList())
                            .all().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    err.println(cannotConnect(kafka, e));
                    return 2;
                }
                for (TopicPlan.Spec spec : present) {
                    List<String> differences = differences(spec, descriptions.get(spec.name()),
                            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())));
                    if (differences.isEmpty()) {
                        out.println("ok       " + spec.name() + "  " + summary(spec.partitions(), spec.replicationFactor(), spec.configs()));
                    } else {
                        out.println("DIFFERS  " + spec.name() + "  " + String.join("; ", differences));
                        problems.add(spec.name() + ": " + String.join("; ", differences));
                    }
                }
            }
            if (problems.isEmpty()) {
                out.println("all " + plan.topics().size() + " topics as planned");
                return 0;
            }
            err.println("thrustline topics: " + problems.size() + " topic(s) not as planned:");
            problems.forEach(p -> err.println("  " + p));
            err.println("Existing topics are never changed by this command. Change them with Kafka's kafka-topics/kafka-configs tools, "
                    + "or set THRUSTLINE_TOPIC_* to what the cluster has (see docs/operations.md).");
            return 1;
        }
    }

    static List<String> differences(TopicPlan.Spec spec, TopicDescription description, Config config) {
        var differences = new ArrayList<String>();
        int partitions = description.partitions().size();
        if (partitions != spec.partitions()) {
            differences.add("partitions " + partitions + ", planned " + spec.partitions());
        }
        int replicas = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (replicas != spec.replicationFactor()) {
            differences.add("replication factor " + replicas + ", planned " + spec.replicationFactor());
        }
        for (var wanted : spec.configs().entrySet()) {
            var entry = config == null ? null : config.get(wanted.getKey());
            String actual = entry == null ? null : entry.value();
            if (!wanted.getValue().equals(actual)) {
                differences.add(wanted.getKey() + " " + actual + ", planned " + wanted.getValue());
            }
        }
        return differences;
    }

    private static String summary(int partitions, short rf, Map<String, String> configs) {
        String retention = configs.get("retention.ms");
        String shown = "-1".equals(retention) ? "for ever" : Long.parseLong(retention) / 86_400_000L + " days";
        return "partitions=" + partitions + " replication=" + rf + " min.insync.replicas=" + configs.get("min.insync.replicas")
                + " cleanup=" + configs.get("cleanup.policy") + " retention=" + shown;
    }

    private static String cannotConnect(KafkaSettings kafka, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AuthenticationException) {
            return "thrustline topics: Kafka at " + kafka.bootstrapServers() + " refused the credentials: " + cause.getMessage()
                    + " (check THRUSTLINE_KAFKA_SASL_* / THRUSTLINE_KAFKA_PROPERTIES_FILE)";
        }
        if (cause instanceof AuthorizationException) {
            return "thrustline topics: the Kafka principal may not describe or create topics: " + cause.getMessage()
                    + " (it needs DESCRIBE, DESCRIBE_CONFIGS and CREATE on the training.* topics)";
        }
        return "thrustline topics: cannot reach Kafka at " + kafka.bootstrapServers() + ": " + reason(e)
                + " (is THRUSTLINE_KAFKA_BOOTSTRAP right, and the broker up?)";
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                ? "no answer in time (" + cause.getMessage() + ")"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
