package io.thrustline.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One processor on its own, the way Kafka's WordCountProcessorTest tests one: a MockProcessorContext, the stores the
 * processor's supplier declares (without cache or changelog), and what it forwarded.
 */
public final class ProcessorFixture<KIn, VIn, KOut, VOut> implements AutoCloseable {

    public final MockProcessorContext<KOut, VOut> context;
    private final Processor<KIn, VIn, KOut, VOut> processor;
    private final List<StateStore> stores = new java.util.ArrayList<>();

    public ProcessorFixture(ProcessorSupplier<KIn, VIn, KOut, VOut> supplier, long nowMillis) {
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            context = new MockProcessorContext<>(props, new TaskId(0, 0), Files.createTempDirectory("thrustline-processor").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.setCurrentSystemTimeMs(nowMillis);
        for (StoreBuilder<?> builder : supplier.stores()) {
            StateStore store = builder.withCachingDisabled().withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            stores.add(store);
        }
        processor = supplier.get();
        processor.init(context);
    }

    public void process(KIn key, VIn value, long timestamp) {
        processor.process(new Record<>(key, value, timestamp));
    }

    /** The values forwarded since the last call, in order; {@code child} null for those sent to every child. */
    public List<VOut> takeForwarded(String child) {
        List<VOut> values = context.forwarded().stream().filter(f -> f.childName().orElse(null) == null ? child == null : f.childName().get().equals(child))
                .map(f -> (VOut) f.record().value()).toList();
        return values;
    }

    public void resetForwards() {
        context.resetForwards();
    }

    public <V> KeyValueStore<String, V> store(String name) {
        return context.getStateStore(name);
    }

    public List<String> keys(String storeName) {
        var keys = new java.util.ArrayList<String>();
        try (var it = this.<Object>store(storeName).all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /** Runs every scheduled punctuator at wall-clock time {@code nowMillis}. */
    public void punctuateAt(long nowMillis) {
        context.setCurrentSystemTimeMs(nowMillis);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(nowMillis));
    }

    @Override
    public void close() {
        processor.close();
        stores.forEach(StateStore::close);
    }
}
