package io.thrustline.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a service checks before it starts: that Kafka accepts its credentials and that every topic it needs
 * exists. A definite no (wrong credentials, no permission, a missing topic) stops the service with a message
 * an operator can act on, so its supervisor notices at once; a broker that does not answer yet is only
 * logged, and the service starts and reports itself not ready until it does.
 */
public final class KafkaPreflight {

    /** Kafka said no, definitely; the message says what to do. */
    public static final class Refused extends IllegalStateException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What a service does with Kafka, so that a missing ACL stops it at start rather than at its first poll, send or
     * transaction: topics it reads and writes, consumer groups it joins, and the prefix of its transactional ids.
     */
    public record Needs(List<String> reads, List<String> writes, List<String> groups, String transactionalIdPrefix,
            String internalTopicPrefix) {
        public Needs {
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
            groups = List.copyOf(groups);
        }

        public static Needs reading(String... topics) {
            return new Needs(List.of(topics), List.of(), List.of(), null, null);
        }

        public static Needs writing(String... topics) {
            return new Needs(List.of(), List.of(topics), List.of(), null, null);
        }

        public Needs andWriting(String... topics) {
            var all = new ArrayList<>(writes);
            all.addAll(List.of(topics));
            return new Needs(reads, all, groups, transactionalIdPrefix, internalTopicPrefix);
        }

        public Needs inGroups(String... groupIds) {
            var all = new ArrayList<>(groups);
            all.addAll(List.of(groupIds));
            return new Needs(reads, writes, all, transactionalIdPrefix, internalTopicPrefix);
        }

        public Needs withTransactionalIds(String prefix) {
            return new Needs(reads, writes, groups, prefix, internalTopicPrefix);
        }

        /** Topics the service creates and checks itself under this prefix (Kafka Streams' changelogs). */
        public Needs withInternalTopics(String prefix) {
            return new Needs(reads, writes, groups, transactionalIdPrefix, prefix);
        }

        List<String> topics() {
            var all = new ArrayList<>(reads);
            writes.stream().filter(t -> !all.contains(t)).forEach(all::add);
            return all;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KafkaPreflight.class);

    private KafkaPreflight() {}

    /**
     * Checks the credentials and that each topic exists and may be described; see {@link #check(String, KafkaSettings, Needs, Duration)}
     * for the check that also knows what the service does with them.
     *
     * @throws Refused when the credentials or permissions are refused or a topic is missing
     */
    public static void check(String service, KafkaSettings kafka, Collection<String> topics, Duration timeout) {
        check(service, kafka, new Needs(List.copyOf(topics), List.of(), List.of(), null, null), timeout);
    }

    /**
     * @throws Refused when the credentials are refused, a topic is missing, or the principal lacks an ACL that
     *                 {@code needs} call for (READ or WRITE on a topic, READ on a group, the transactional ids)
     */
    public static void check(String service, KafkaSettings kafka, Needs needs, Duration timeout) {
        Map<String, Object> props = kafka.common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, service + "-preflight");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        long waitMs = timeout.toMillis() + 1000;
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(waitMs, TimeUnit.MILLISECONDS);
            var missing = new ArrayList<String>();
            var denied = new ArrayList<String>();
            describeTopics(admin, needs, needs.topics(), timeout, missing, denied);
            // A topic created a moment ago may not be in every broker's metadata yet: look again for a few seconds
            // before calling it missing.
            long settleUntil = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(10).toNanos());
            while (!missing.isEmpty() && System.nanoTime() < settleUntil) {
                Thread.sleep(500);
                var again = List.copyOf(missing);
                missing.clear();
                describeTopics(admin, needs, again, timeout, missing, denied);
            }
            if (!missing.isEmpty()) {
                throw new Refused(service + " cannot start: topic(s) " + String.join(", ", missing) + " do not exist on "
                        + kafka.bootstrapServers() + "; create them with ./thrustline topics (see docs/operations.md)", null);
            }
            if (!needs.groups().isEmpty()) {
                var groups = admin.describeConsumerGroups(needs.groups(), new DescribeConsumerGroupsOptions()
                        .timeoutMs((int) timeout.toMillis()).includeAuthorizedOperations(true)).describedGroups();
                for (String group : needs.groups()) {
                    try {
                        Set<AclOperation> allowed = groups.get(group).get(waitMs, TimeUnit.MILLISECONDS).authorizedOperations();
                        if (allowed != null && !allowed.contains(AclOperation.READ)) {
                            denied.add("READ on group " + group);
                        }
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof GroupAuthorizationException) {
                            denied.add("READ on group " + group);
                        } else if (!(e.getCause() instanceof GroupIdNotFoundException)) { // a group that never ran: described, so allowed
                            throw e;
                        }
                    }
                }
            }
            if (needs.transactionalIdPrefix() != null) {
                String probe = needs.transactionalIdPrefix() + "-preflight";
                try {
                    admin.describeTransactions(List.of(probe)).description(probe).get(waitMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TransactionalIdAuthorizationException) {
                        denied.add("WRITE on transactional ids prefixed " + needs.transactionalIdPrefix());
                    } else if (!(e.getCause() instanceof TransactionalIdNotFoundException)) { // not found: allowed to ask
                        throw e;
                    }
                }
            }
            if (needs.internalTopicPrefix() != null) {
                // A topic that does not exist, under the prefix: validateOnly creates nothing, and the answer comes after
                // the authorization check. (READ/WRITE on topics that do not exist yet cannot be checked.)
                String probe = needs.internalTopicPrefix() + "-preflight-probe";
                try {
                    admin.createTopics(List.of(new NewTopic(probe, Optional.empty(), Optional.empty())),
                            new CreateTopicsOptions().validateOnly(true)).all().get(waitMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicAuthorizationException || e.getCause() instanceof ClusterAuthorizationException) {
                        denied.add("CREATE on topics prefixed " + needs.internalTopicPrefix());
                    } else if (!(e.getCause() instanceof org.apache.kafka.common.errors.ApiException)) { // e.g. a policy: not ours to judge
                        throw e;
                    }
                }
            }
            if (!denied.isEmpty()) {
                throw new Refused(service + " cannot start: Kafka at " + kafka.bootstrapServers() + " does not allow "
                        + principal(kafka) + " " + String.join(", ", denied)
                        + " (Not authorized); grant it the ACLs listed in docs/operations.md", null);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new Refused(service + " cannot start: Kafka at " + kafka.bootstrapServers() + " refused its credentials ("
                        + describe(kafka) + "): " + cause.getMessage(), cause);
            }
            if (cause instanceof AuthorizationException) {
                throw new Refused(service + " cannot start: Kafka at " + kafka.bootstrapServers() + " does not allow "
                        + principal(kafka) + " what it needs (" + cause.getMessage()
                        + "); grant it the ACLs listed in docs/operations.md", cause);
            }
            log.warn("{}: Kafka at {} did not answer the start-up check ({}); starting anyway, not ready until it does",
                    service, kafka.bootstrapServers(), cause == null ? e.toString() : cause.toString());
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("{}: Kafka at {} did not answer within {} s; starting anyway, not ready until it does",
                    service, kafka.bootstrapServers(), timeout.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the Kafka start-up check", e);
        }
    }

    /** Describes {@code topics}, adding each missing one to {@code missing} and each refused operation to {@code denied}. */
    private static void describeTopics(Admin admin, Needs needs, List<String> topics, Duration timeout, List<String> missing,
            List<String> denied) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        long waitMs = timeout.toMillis() + 1000;
        var described = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis())
                .includeAuthorizedOperations(true)).topicNameValues();
        for (String topic : topics) {
            try {
                TopicDescription description = described.get(topic).get(waitMs, TimeUnit.MILLISECONDS);
                Set<AclOperation> allowed = description.authorizedOperations(); // null: the broker did not say
                if (allowed != null) {
                    if (needs.reads().contains(topic) && !allowed.contains(AclOperation.READ)) {
                        denied.add("READ on topic " + topic);
                    }
                    if (needs.writes().contains(topic) && !allowed.contains(AclOperation.WRITE)) {
                        denied.add("WRITE on topic " + topic);
                    }
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    missing.add(topic);
                } else if (e.getCause() instanceof TopicAuthorizationException) {
                    denied.add((needs.reads().contains(topic) ? "READ" : needs.writes().contains(topic) ? "WRITE" : "DESCRIBE")
                            + " on topic " + topic);
                } else {
                    throw e;
                }
            }
        }
    }

    private static final java.util.regex.Pattern JAAS_USER = java.util.regex.Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    /** The principal as far as the settings tell (the SASL user name; never the password). */
    private static String principal(KafkaSettings kafka) {
        String jaas = kafka.clientProperties().get("sasl.jaas.config");
        if (jaas != null) {
            var user = JAAS_USER.matcher(jaas);
            if (user.find()) {
                return "principal User:" + user.group(1);
            }
        }
        return "its principal";
    }

    private static String describe(KafkaSettings kafka) {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("security.protocol", "sasl.mechanism")) {
            parts.add(name + "=" + kafka.clientProperties().getOrDefault(name, "(default)"));
        }
        return String.join(", ", parts);
    }
}
