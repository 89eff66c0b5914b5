package io.thrustline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RegistryWireSerdeTest {

    @Test
    void aRegistryThatTakesTheConnectionAndNeverAnswersIsGivenUpOn() throws Exception {
        var never = new CountDownLatch(1);
        var registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            try {
                never.await(); // holds the request open until the test ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        registry.start();
        try {
            var serdes = new RegistryAvroSerdes("http://127.0.0.1:" + registry.getAddress().getPort());
            var serde = new RegistryWireSerde<>(TrainingEvent.class, serdes.apiUrl(), serdes.clientConfig(), serdes.client(), Duration.ofSeconds(1));
            byte[] record = ByteBuffer.allocate(7).put((byte) 0).putInt(7).put((byte) 2).put((byte) 'x').array();
            long began = System.nanoTime();
            assertThatThrownBy(() -> serde.deserializer().deserialize(Topics.EVENTS, record))
                    .isInstanceOf(SerializationException.class)
                    .hasStackTraceContaining("did not give the references of content id 7 within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        } finally {
            never.countDown();
            registry.stop(0);
        }
    }
}
