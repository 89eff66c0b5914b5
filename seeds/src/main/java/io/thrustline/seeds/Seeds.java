package io.thrustline.seeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The seed data every service starts from: the exercise catalog and the rule book. Loaded once at start-up
 * and checked thoroughly, so a broken file stops the service with a message naming the file and field
 * instead of surfacing later as a wrong insight.
 */
public record Seeds(Catalog catalog, RuleBook rules) {

    public static final String CATALOG_FILE = "catalog.json";
    public static final String RULES_FILE = "rules.json";
    /** Environment variable naming a directory whose seed files replace the built-in ones. */
    public static final String DIR_ENV = "THRUSTLINE_SEEDS_DIR";

    private static final Pattern CODE = Pattern.compile("[a-z0-9_]{1,64}");
    /** Every field present and non-null, nothing unknown: a typo in a seed file must not pass silently. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** As strict about unknown fields, but optional fields may be left out (the demo gym's side, controlledReps). */
    private static final ObjectMapper WITH_OPTIONALS = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The built-in seeds, or those in {@value #DIR_ENV} when it is set. */
    public static Seeds load() {
        return load(System.getenv());
    }

    /** The built-in seeds, or those in the directory {@value #DIR_ENV} names in {@code env}. */
    public static Seeds load(Map<String, String> env) {
        return Optional.ofNullable(env.get(DIR_ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .map(Seeds::loadFrom)
                .orElseGet(Seeds::loadBuiltIn);
    }

    public static Seeds loadBuiltIn() {
        return parse(Seeds::openResource);
    }

    public static Seeds loadFrom(Path directory) {
        return parse(file -> {
            Path path = directory.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw new SeedException(path.toString(), "", "file not found");
            }
            return Files.newInputStream(path);
        });
    }

    /** Opens one of the built-in seed files (also used for the demo gym). */
    public static InputStream openResource(String file) {
        InputStream in = Seeds.class.getResourceAsStream(file);
        if (in == null) {
            throw new SeedException(file, "", "not found on the classpath under io/thrustline/seeds/");
        }
        return in;
    }

    interface Opener {
        InputStream open(String file) throws IOException;
    }

    private static Seeds parse(Opener opener) {
        CatalogFile catalogFile = read(opener, CATALOG_FILE, CatalogFile.class);
        RulesFile rulesFile = read(opener, RULES_FILE, RulesFile.class);
        checkCatalog(catalogFile);
        checkRules(rulesFile, catalogFile);
        var catalog = new Catalog(catalogFile.documents(), catalogFile.exercises());
        var rules = new RuleBook(rulesFile.version(), rulesFile.controlledRep(), rulesFile.sessions(), rulesFile.leftRightImbalance(),
                rulesFile.unilateralSideMissing(), rulesFile.persistentImbalance(),
                rulesFile.loadIncreaseBeforeControl(), rulesFile.hingeBeforeBridge());
        return new Seeds(catalog, rules);
    }

    /** Reads a JSON seed file strictly into {@code type}, turning Jackson's errors into file + field messages. */
    static <T> T read(Opener opener, String file, Class<T> type) {
        return read(STRICT, opener, file, type);
    }

    static <T> T readWithOptionals(Opener opener, String file, Class<T> type) {
        return read(WITH_OPTIONALS, opener, file, type);
    }

    private static <T> T read(ObjectMapper mapper, Opener opener, String file, Class<T> type) {
        try (InputStream in = opener.open(file)) {
            return mapper.readValue(in, type);
        } catch (JsonMappingException e) {
            throw new SeedException(file, fieldPath(e.getPath()), e.getOriginalMessage().lines().findFirst().orElse(""), e);
        } catch (JsonProcessingException e) {
            throw new SeedException(file, "", "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read", e);
        }
    }

    static String fieldPath(List<JsonMappingException.Reference> path) {
        var out = new StringBuilder();
        for (var ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    record CatalogFile(String about, Map<String, String> documents, List<Exercise> exercises) {}

    record RulesFile(
            String about,
            int version,
            String versionNote,
            RuleBook.ControlledRep controlledRep,
            RuleBook.Sessions sessions,
            RuleBook.LeftRightImbalance leftRightImbalance,
            RuleBook.UnilateralSideMissing unilateralSideMissing,
            RuleBook.PersistentImbalance persistentImbalance,
            RuleBook.LoadIncreaseBeforeControl loadIncreaseBeforeControl,
            RuleBook.HingeBeforeBridge hingeBeforeBridge) {}

    private static void checkCatalog(CatalogFile file) {
        // Codes first, so a duplicate is reported as such rather than as a dangling reference elsewhere.
        var codes = new HashSet<String>();
        for (int i = 0; i < file.exercises().size(); i++) {
            String code = file.exercises().get(i).code();
            if (!CODE.matcher(code).matches()) {
                fail(CATALOG_FILE, "exercises[" + i + "].code", "'" + code + "' must be 1-64 of a-z, 0-9 and _");
            }
            if (!codes.add(code)) {
                fail(CATALOG_FILE, "exercises[" + i + "].code", "'" + code + "' appears more than once");
            }
        }
        for (int i = 0; i < file.exercises().size(); i++) {
            Exercise e = file.exercises().get(i);
            String at = "exercises[" + i + "]";
            if (e.name().isBlank()) {
                fail(CATALOG_FILE, at + ".name", "must not be blank");
            }
            if (e.pattern() != MovementPattern.OTHER && e.cues().isEmpty()) {
                fail(CATALOG_FILE, at + ".cues", "needs at least one cue: insights draw their advice from it");
            }
            checkCodes(e.progressions(), codes, at + ".progressions");
            checkCodes(e.regressions(), codes, at + ".regressions");
            if (e.sources().isEmpty()) {
                fail(CATALOG_FILE, at + ".sources", "must name at least one seed document");
            }
            checkDocuments(e.sources(), file.documents(), CATALOG_FILE, at + ".sources");
        }
    }

    private static void checkCodes(List<String> refs, java.util.Set<String> codes, String field) {
        for (int j = 0; j < refs.size(); j++) {
            if (!codes.contains(refs.get(j))) {
                fail(CATALOG_FILE, field + "[" + j + "]", "unknown exercise '" + refs.get(j) + "'");
            }
        }
    }

    private static void checkDocuments(List<String> docs, Map<String, String> known, String file, String field) {
        for (int j = 0; j < docs.size(); j++) {
            if (!known.containsKey(docs.get(j))) {
                fail(file, field + "[" + j + "]", "'" + docs.get(j) + "' is not one of the seed documents listed in "
                        + CATALOG_FILE + " (" + String.join(", ", known.keySet()) + ")");
            }
        }
    }

    private static void checkRules(RulesFile r, CatalogFile catalog) {
        Map<String, String> documents = catalog.documents();
        if (r.version() < 1) {
            fail(RULES_FILE, "version", "must be a whole number of at least 1, raised with every change of the file");
        }
        var rep = r.controlledRep();
        if (rep.minEccentricSeconds() < 0 || !Double.isFinite(rep.minEccentricSeconds())) {
            fail(RULES_FILE, "controlledRep.minEccentricSeconds", "must be a finite number >= 0");
        }
        if (rep.minTopHoldSeconds() < 0 || !Double.isFinite(rep.minTopHoldSeconds())) {
            fail(RULES_FILE, "controlledRep.minTopHoldSeconds", "must be a finite number >= 0");
        }
        if (r.sessions().inactivityMinutes() < 1) {
            fail(RULES_FILE, "sessions.inactivityMinutes", "must be at least 1");
        }
        if (r.sessions().maxSpanHours() < 1 || r.sessions().maxSpanHours() > 48) {
            fail(RULES_FILE, "sessions.maxSpanHours", "must be from 1 to 48");
        }
        if (r.sessions().maxSetsPerSession() < 10 || r.sessions().maxSetsPerSession() > 5000) {
            fail(RULES_FILE, "sessions.maxSetsPerSession", "must be from 10 to 5000");
        }
        var imbalance = r.leftRightImbalance();
        if (!(imbalance.warningPct() > 0 && imbalance.warningPct() < 100)) {
            fail(RULES_FILE, "leftRightImbalance.warningPct", "must be between 0 and 100");
        }
        if (!(imbalance.alertPct() > imbalance.warningPct() && imbalance.alertPct() <= 100)) {
            fail(RULES_FILE, "leftRightImbalance.alertPct", "must be above warningPct and at most 100");
        }
        if (imbalance.minSetsPerSide() < 1 || imbalance.minSetsPerSide() > 20) {
            fail(RULES_FILE, "leftRightImbalance.minSetsPerSide", "must be from 1 to 20");
        }
        if (imbalance.minRepsPerSide() < 1 || imbalance.minRepsPerSide() > 200) {
            fail(RULES_FILE, "leftRightImbalance.minRepsPerSide", "must be from 1 to 200");
        }
        if (imbalance.baselineSessions() < 1 || imbalance.baselineSessions() > 20) {
            fail(RULES_FILE, "leftRightImbalance.baselineSessions", "must be from 1 to 20");
        }
        if (!(r.persistentImbalance().minPct() > 0 && r.persistentImbalance().minPct() < 100)) {
            fail(RULES_FILE, "persistentImbalance.minPct", "must be between 0 and 100");
        }
        if (r.persistentImbalance().sessions() < 2) {
            fail(RULES_FILE, "persistentImbalance.sessions", "must be at least 2");
        }
        checkDocuments(rep.source().documents(), documents, RULES_FILE, "controlledRep.source.documents");
        checkDocuments(imbalance.source().documents(), documents, RULES_FILE, "leftRightImbalance.source.documents");
        checkDocuments(r.unilateralSideMissing().source().documents(), documents, RULES_FILE, "unilateralSideMissing.source.documents");
        checkDocuments(r.persistentImbalance().source().documents(), documents, RULES_FILE, "persistentImbalance.source.documents");
        checkDocuments(r.loadIncreaseBeforeControl().source().documents(), documents, RULES_FILE, "loadIncreaseBeforeControl.source.documents");
        checkDocuments(r.hingeBeforeBridge().source().documents(), documents, RULES_FILE, "hingeBeforeBridge.source.documents");
        var activation = r.hingeBeforeBridge().activation();
        boolean aBridge = catalog.exercises().stream()
                .anyMatch(e -> e.code().equals(activation.exercise()) && e.pattern() == MovementPattern.BRIDGE);
        if (!aBridge) {
            fail(RULES_FILE, "hingeBeforeBridge.activation.exercise", "'" + activation.exercise() + "' is not a bridge in " + CATALOG_FILE);
        }
        if (activation.sets() < 1 || activation.minReps() < 1 || activation.maxReps() < activation.minReps()) {
            fail(RULES_FILE, "hingeBeforeBridge.activation", "needs at least 1 set and 1 rep, and maxReps no less than minReps");
        }
    }

    private static void fail(String file, String field, String problem) {
        throw new SeedException(file, field, problem);
    }
}
