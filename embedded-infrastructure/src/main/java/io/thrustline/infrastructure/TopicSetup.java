package io.thrustline.infrastructure;

import io.thrustline.schemas.TopicPlan;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the pipeline's topics when they do not exist yet, from the same plan as ./thrustline topics, at one replica. */
public final class TopicSetup {

    private TopicSetup() {}

    public static void ensureTopics(String bootstrapServers, int partitions) throws InterruptedException {
        TopicPlan plan = TopicPlan.local(partitions);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (TopicPlan.Spec spec : plan.topics()) {
                try {
                    admin.createTopics(List.of(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs())))
                            .all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + spec.name(), e.getCause());
                    }
                }
            }
        }
    }
}
