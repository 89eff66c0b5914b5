package io.thrustline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import io.thrustline.infrastructure.KafkaBroker;

/**
 * A single real broker of a test class's own, for tests that need Kafka but not the rest of the stack:
 * {@code @RegisterExtension static final OwnBroker BROKER = new OwnBroker();}. Started before the class's
 * tests, stopped and its data removed after them.
 */
public final class OwnBroker implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private KafkaBroker broker;
    private String bootstrap;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("thrustline-own-broker-");
        int port = TestStacks.freePort();
        broker = KafkaBroker.start(dataDir, port, TestStacks.freePort());
        bootstrap = "127.0.0.1:" + port;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** host:port of the broker's listener. */
    public String bootstrap() {
        return bootstrap;
    }
}
