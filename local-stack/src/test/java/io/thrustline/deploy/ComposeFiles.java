package io.thrustline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads compose files into JSON trees and lays an override file over a base file as Compose does. */
final class ComposeFiles {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Sequences Compose merges by adding the override's entries; every other sequence is replaced. */
    private static final Set<String> APPENDED_SEQUENCES = Set.of("ports", "volumes", "expose", "dns", "dns_search", "extra_hosts", "profiles");

    private ComposeFiles() {}

    /** The repository root: the nearest directory upwards holding docker-compose.yml. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    /**
     * The file as Compose sees it, anchors, aliases and {@code <<} merge keys resolved. Read with SnakeYAML,
     * the parser jackson-dataformat-yaml is built on: Jackson's own YAML tree keeps an alias as the anchor's
     * name instead of its value, which would hide exactly the shared blocks these files are made of.
     */
    static ObjectNode read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (!(document instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return JSON.valueToTree(document);
        }
    }

    /** {@code base} with {@code override} laid over it: mappings merge key by key, most sequences are replaced. */
    static ObjectNode merge(ObjectNode base, ObjectNode override) {
        ObjectNode merged = base.deepCopy();
        mergeInto(merged, override, "");
        return merged;
    }

    private static void mergeInto(ObjectNode target, ObjectNode source, String key) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            var entry = it.next();
            JsonNode existing = target.get(entry.getKey());
            JsonNode incoming = entry.getValue();
            if (existing instanceof ObjectNode into && incoming instanceof ObjectNode from) {
                mergeInto(into, from, entry.getKey());
            } else if (existing instanceof ArrayNode into && incoming instanceof ArrayNode from && APPENDED_SEQUENCES.contains(entry.getKey())) {
                from.forEach(item -> {
                    if (!contains(into, item)) {
                        into.add(item.deepCopy());
                    }
                });
            } else {
                target.set(entry.getKey(), incoming.deepCopy());
            }
        }
    }

    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode each : array) {
            if (each.equals(item)) {
                return true;
            }
        }
        return false;
    }
}
