package io.thrustline.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
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

    private static final Logger log = LoggerFactory.getLogger(KafkaPreflight.class);

    private KafkaPreflight() {}

    /**
     * @throws Refused when the credentials or permissions are refused or a topic is missing
     */
    public static void check(String service, KafkaSettings kafka, Collection<String> topics, Duration timeout) {
        Map<String, Object> props = kafka.common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, service + "-preflight");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).clusterId()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            // A topic created a moment ago may not be in every broker's metadata yet: look again for a few seconds
            // before calling it missing.
            long settleUntil = System.nanoTime() + Math.min(timeout.toNanos(), Duration.ofSeconds(10).toNanos());
            List<String> missing = missingTopics(admin, topics, timeout);
            while (!missing.isEmpty() && System.nanoTime() < settleUntil) {
                Thread.sleep(500);
                missing = missingTopics(admin, missing, timeout);
            }
            if (!missing.isEmpty()) {
                throw new Refused(service + " cannot start: topic(s) " + String.join(", ", missing) + " do not exist on "
                        + kafka.bootstrapServers() + "; create them with ./thrustline topics (see docs/operations.md)", null);
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AuthenticationException) {
                throw new Refused(service + " cannot start: Kafka at " + kafka.bootstrapServers() + " refused its credentials ("
                        + describe(kafka) + "): " + cause.getMessage(), cause);
            }
            if (cause instanceof AuthorizationException) {
                throw new Refused(service + " cannot start: its Kafka principal may not " + cause.getMessage()
                        + "; grant it the ACLs listed in docs/operations.md", cause);
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

    private static List<String> missingTopics(Admin admin, Collection<String> topics, Duration timeout)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        var missing = new ArrayList<String>();
        var described = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis())).topicNameValues();
        for (String topic : topics) {
            try {
                described.get(topic).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(topic);
            }
        }
        return missing;
    }

    private static String describe(KafkaSettings kafka) {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("security.protocol", "sasl.mechanism")) {
            parts.add(name + "=" + kafka.clientProperties().getOrDefault(name, "(default)"));
        }
        return String.join(", ", parts);
    }
}
