package io.thrustline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a compose file must get right beyond its schema, each check returning the problems it finds (empty
 * when the file is right), so that a test can also feed it a broken file and see it complain.
 */
final class ComposeChecks {

    /** Variable names whose values are credentials: these must come from the operator, never a default. */
    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|TOKENS?|KEYS?)");
    /** {@code ${NAME:?message}}: compose stops with the message when NAME is unset or empty. */
    private static final Pattern REQUIRED_INTERPOLATION = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:\\?[^}]*}");
    private static final Set<String> WAITING_CONDITIONS = Set.of("service_healthy", "service_completed_successfully");
    private static final Set<String> RESTART_POLICIES = Set.of("always", "unless-stopped", "on-failure");

    private ComposeChecks() {}

    // ---- the variables the code reads ----------------------------------------------------------------

    /**
     * The THRUSTLINE_* names the code reads: every literal in {@code *}/src/main/**.java and the
     * {@code thrustline} script, plus the names HttpSettings builds as {@code "THRUSTLINE_" + service + "_" +
     * suffix} for each service passed to {@code HttpSettings.fromEnv}.
     */
    record KnownVariables(Set<String> names, boolean kafkaPrefixRule) {

        private static final Pattern NAME = Pattern.compile("THRUSTLINE_[A-Z0-9_]*[A-Z0-9]");
        private static final Pattern HTTP_SERVICE = Pattern.compile("HttpSettings\\.fromEnv\\([^,]+,\\s*\"([A-Z_]+)\"");
        private static final Pattern HTTP_SUFFIX = Pattern.compile("prefix \\+ \"([A-Z_]+)\"");

        static KnownVariables scan(Path root) {
            var names = new TreeSet<String>();
            var services = new TreeSet<String>();
            var suffixes = new TreeSet<String>();
            boolean prefixRule = false;
            for (Path file : sources(root)) {
                String text = read(file);
                names.addAll(all(NAME, text));
                services.addAll(all(HTTP_SERVICE, text));
                if (file.getFileName().toString().equals("HttpSettings.java")) {
                    suffixes.addAll(all(HTTP_SUFFIX, text));
                }
                // The pass-through of any Kafka client property: THRUSTLINE_KAFKA_<PROPERTY_IN_UPPER_SNAKE>.
                prefixRule |= text.contains("\"THRUSTLINE_KAFKA_\"");
            }
            for (String service : services) {
                for (String suffix : suffixes) {
                    names.add("THRUSTLINE_" + service + "_" + suffix);
                }
            }
            return new KnownVariables(Set.copyOf(names), prefixRule);
        }

        boolean knows(String name) {
            return names.contains(name) || (kafkaPrefixRule && name.startsWith("THRUSTLINE_KAFKA_"));
        }

        private static List<Path> sources(Path root) {
            var files = new ArrayList<Path>();
            files.add(root.resolve("thrustline"));
            try (Stream<Path> modules = Files.list(root)) {
                for (Path main : modules.map(m -> m.resolve("src/main")).filter(Files::isDirectory).toList()) {
                    try (Stream<Path> walk = Files.walk(main)) {
                        walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return files;
        }

        private static List<String> all(Pattern pattern, String text) {
            var found = new ArrayList<String>();
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                found.add(m.groupCount() > 0 ? m.group(1) : m.group());
            }
            return found;
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Every THRUSTLINE_* variable a service sets is one the code reads. */
    static List<String> unknownVariables(JsonNode compose, KnownVariables known) {
        var problems = new ArrayList<String>();
        services(compose).forEach((name, service) -> environment(service).keySet().stream()
                .filter(key -> key.startsWith("THRUSTLINE_") && !known.knows(key))
                .forEach(key -> problems.add(name + " sets " + key + ", which no code reads")));
        return problems;
    }

    // ---- start order, health and restarts -------------------------------------------------------------

    /** Every depends_on is the long form with a condition that waits for readiness or a finished job. */
    static List<String> dependencyProblems(JsonNode compose) {
        var problems = new ArrayList<String>();
        Map<String, JsonNode> services = services(compose);
        services.forEach((name, service) -> {
            JsonNode dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            if (!dependsOn.isObject()) {
                problems.add(name + ": depends_on is the short form, which waits only for the container to start");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = dependsOn.fields(); it.hasNext(); ) {
                var dependency = it.next();
                String on = dependency.getKey();
                String condition = dependency.getValue().path("condition").asText("");
                JsonNode target = services.get(on);
                if (!WAITING_CONDITIONS.contains(condition)) {
                    problems.add(name + " depends on " + on + " with condition '" + condition + "'; needs service_healthy or service_completed_successfully");
                } else if (target == null) {
                    problems.add(name + " depends on " + on + ", which is not a service");
                } else if (condition.equals("service_healthy") && !hasHealthcheck(target)) {
                    problems.add(name + " waits for " + on + " to be healthy, but " + on + " has no healthcheck");
                } else if (condition.equals("service_completed_successfully") && !isJob(target)) {
                    problems.add(name + " waits for " + on + " to finish, but " + on + " is a long-running server (restart is not \"no\")");
                }
            }
        });
        return problems;
    }

    /** Every server (anything but a one-shot job) has a healthcheck and a restart policy. */
    static List<String> serverProblems(JsonNode compose) {
        var problems = new ArrayList<String>();
        services(compose).forEach((name, service) -> {
            if (isJob(service)) {
                return;
            }
            if (!hasHealthcheck(service)) {
                problems.add(name + " has no healthcheck");
            }
            if (!RESTART_POLICIES.contains(service.path("restart").asText(""))) {
                problems.add(name + " has no restart policy (always, unless-stopped or on-failure)");
            }
        });
        return problems;
    }

    // ---- credentials ------------------------------------------------------------------------------------

    /**
     * Every credential comes from the operator as a required variable, with no default anyone could read
     * here; and no service runs under the local profile, where demo credentials are accepted.
     */
    static List<String> credentialProblems(JsonNode compose) {
        var problems = new ArrayList<String>();
        services(compose).forEach((name, service) -> environment(service).forEach((key, value) -> {
            if (CREDENTIAL.matcher(key).matches() && !REQUIRED_INTERPOLATION.matcher(value).matches()) {
                problems.add(name + ": " + key + " must be ${VARIABLE:?message}, a required variable with no default");
            }
            if (key.equals("THRUSTLINE_PROFILE") && !value.equals("production")) {
                problems.add(name + ": THRUSTLINE_PROFILE=" + value + "; the services must run under the production profile");
            }
        }));
        return problems;
    }

    // ---- brokers ------------------------------------------------------------------------------------------

    /**
     * Every KRaft node keeps its log directory on a named volume and has a fixed cluster id; all nodes
     * share that id, have distinct node ids, and list the same quorum, which is exactly them.
     */
    static List<String> brokerProblems(JsonNode compose) {
        var problems = new ArrayList<String>();
        Map<String, JsonNode> brokers = brokers(compose);
        if (brokers.isEmpty()) {
            problems.add("no Kafka broker (an apache/kafka service with KAFKA_PROCESS_ROLES)");
        }
        var clusterIds = new TreeSet<String>();
        var quorums = new TreeSet<String>();
        var nodeIds = new TreeSet<String>();
        brokers.forEach((name, broker) -> {
            Map<String, String> env = environment(broker);
            String clusterId = env.getOrDefault("CLUSTER_ID", "");
            if (clusterId.isBlank() || clusterId.contains("$")) {
                problems.add(name + ": CLUSTER_ID must be fixed in the file, or a restart meets storage formatted for another cluster");
            }
            clusterIds.add(clusterId);
            quorums.add(env.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", ""));
            if (!nodeIds.add(env.getOrDefault("KAFKA_NODE_ID", ""))) {
                problems.add(name + ": KAFKA_NODE_ID " + env.get("KAFKA_NODE_ID") + " is taken by another broker");
            }
            String logDirs = env.getOrDefault("KAFKA_LOG_DIRS", "");
            boolean onNamedVolume = false;
            for (JsonNode volume : broker.path("volumes")) {
                String[] parts = volume.asText("").split(":");
                onNamedVolume |= parts.length >= 2 && parts[1].equals(logDirs) && compose.path("volumes").has(parts[0]);
            }
            if (logDirs.isBlank() || !onNamedVolume) {
                problems.add(name + ": KAFKA_LOG_DIRS must be set and mounted from a named volume, or the topics vanish with the container");
            }
        });
        if (clusterIds.size() > 1) {
            problems.add("the brokers disagree on CLUSTER_ID: " + clusterIds);
        }
        if (quorums.size() > 1) {
            problems.add("the brokers disagree on KAFKA_CONTROLLER_QUORUM_VOTERS: " + quorums);
        } else if (quorums.size() == 1) {
            var voters = new TreeSet<String>();
            for (String voter : quorums.first().split(",")) {
                voters.add(voter.split("@")[0]);
            }
            if (!voters.equals(nodeIds)) {
                problems.add("the quorum voters " + voters + " are not the brokers' node ids " + nodeIds);
            }
        }
        return problems;
    }

    /**
     * The cluster variant: three brokers, every topic (Kafka's own included) at RF 3 and min ISR 2, two
     * instances of each service, each told about all three brokers.
     */
    static List<String> clusterProblems(JsonNode compose) {
        var problems = new ArrayList<String>();
        Map<String, JsonNode> brokers = brokers(compose);
        if (brokers.size() != 3) {
            problems.add(brokers.size() + " brokers, not 3: " + brokers.keySet());
        }
        var expected = new LinkedHashMap<String, String>();
        expected.put("KAFKA_DEFAULT_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_MIN_INSYNC_REPLICAS", "2");
        expected.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
        brokers.forEach((name, broker) -> expected.forEach((key, value) -> {
            if (!value.equals(environment(broker).get(key))) {
                problems.add(name + ": " + key + "=" + environment(broker).get(key) + ", not " + value);
            }
        }));
        var roles = new LinkedHashMap<String, List<String>>();
        services(compose).forEach((name, service) -> roles.computeIfAbsent(role(service), r -> new ArrayList<>()).add(name));
        for (String role : List.of("ingest", "streams", "reporting")) {
            if (roles.getOrDefault(role, List.of()).size() != 2) {
                problems.add("the cluster variant runs " + roles.getOrDefault(role, List.of()) + " as " + role + ", not two instances");
            }
        }
        for (String job : roles.getOrDefault("topics", List.of())) {
            Map<String, String> env = environment(services(compose).get(job));
            if (!"3".equals(env.get("THRUSTLINE_TOPIC_REPLICATION_FACTOR")) || !"2".equals(env.get("THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS"))) {
                problems.add(job + ": topics must be created at THRUSTLINE_TOPIC_REPLICATION_FACTOR=3 and THRUSTLINE_TOPIC_MIN_INSYNC_REPLICAS=2");
            }
        }
        services(compose).forEach((name, service) -> {
            String bootstrap = environment(service).get("THRUSTLINE_KAFKA_BOOTSTRAP");
            if (bootstrap != null && !brokers.keySet().stream().allMatch(b -> bootstrap.contains(b + ":"))) {
                problems.add(name + ": THRUSTLINE_KAFKA_BOOTSTRAP=" + bootstrap + " does not name every broker " + brokers.keySet());
            }
        });
        var stateVolumes = new TreeSet<String>();
        for (String streams : roles.getOrDefault("streams", List.of())) {
            for (JsonNode volume : services(compose).get(streams).path("volumes")) {
                if (!stateVolumes.add(volume.asText().split(":")[0])) {
                    problems.add(streams + " shares its state volume " + volume.asText() + " with another instance");
                }
            }
        }
        return problems;
    }

    // ---- reading a service ------------------------------------------------------------------------------

    static Map<String, JsonNode> services(JsonNode compose) {
        var services = new LinkedHashMap<String, JsonNode>();
        compose.path("services").fields().forEachRemaining(e -> services.put(e.getKey(), e.getValue()));
        return services;
    }

    /** The service's environment in either of Compose's two forms, a mapping or a list of NAME=value. */
    static Map<String, String> environment(JsonNode service) {
        var env = new LinkedHashMap<String, String>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String text = item.asText();
                int eq = text.indexOf('=');
                env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        }
        return env;
    }

    /** What the service image is told to be: ingest, streams, reporting or topics; "" for other images. */
    static String role(JsonNode service) {
        JsonNode command = service.path("command");
        return command.isArray() && !command.isEmpty() ? command.get(0).asText() : command.asText("");
    }

    static Map<String, JsonNode> brokers(JsonNode compose) {
        var brokers = new LinkedHashMap<String, JsonNode>();
        services(compose).forEach((name, service) -> {
            if (service.path("image").asText("").startsWith("apache/kafka") && environment(service).containsKey("KAFKA_PROCESS_ROLES")) {
                brokers.put(name, service);
            }
        });
        return brokers;
    }

    private static boolean isJob(JsonNode service) {
        return service.path("restart").asText("").equals("no");
    }

    private static boolean hasHealthcheck(JsonNode service) {
        JsonNode check = service.path("healthcheck");
        return check.isObject() && !check.path("disable").asBoolean(false) && !check.path("test").isMissingNode()
                && !check.path("test").path(0).asText("").equals("NONE");
    }
}
