package io.thrustline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.thrustline.schemas.KafkaPreflightAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class ServiceMainTest {

    @Test
    void aRefusedStartIsOneLineOnStderrAndStatusTwo() throws Exception {
        var err = new ByteArrayOutputStream();
        int status = ServiceMain.run("ingest-service", fatal -> {
            throw KafkaPreflightAccess.refused("ingest-service cannot start: topic(s) training.events.v1 do not exist");
        }, new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ingest-service cannot start: topic(s) training.events.v1 do not exist"
                + System.lineSeparator());
    }

    @Test
    void aClientThatDiesForGoodEndsTheWaitWithStatusOneAndClosesTheService() throws Exception {
        var closed = new AtomicBoolean();
        int status = ServiceMain.run("streams-processor", fatal -> {
            new Thread(() -> fatal.died("topic training.events.v1 is missing; run ./thrustline topics", null)).start();
            return () -> closed.set(true);
        }, System.err, false);
        assertThat(status).isEqualTo(1);
        assertThat(closed).isTrue();
    }

    @Test
    void permanentKafkaFailuresAreToldFromPassingOnes() {
        assertThat(Fatal.isPermanent(new KafkaException("wrapped", new SaslAuthenticationException("bad password")))).isTrue();
        assertThat(Fatal.isPermanent(new TopicAuthorizationException("no"))).isTrue();
        assertThat(Fatal.isPermanent(new KafkaException(new TimeoutException("slow")))).isFalse();
        assertThat(Fatal.describe(new KafkaException("wrapped", new SaslAuthenticationException("bad password"))))
                .isEqualTo("SaslAuthenticationException: bad password");
    }
}
