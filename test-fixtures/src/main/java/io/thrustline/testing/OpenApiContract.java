package io.thrustline.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A service's OpenAPI 3.1 document as a contract a test holds the running service to: every answer's status must be
 * one the document lists for the operation, and its JSON body must validate against the documented schema (JSON
 * Schema 2020-12, networknt's validator, with the document's own {@code $ref}s).
 */
public final class OpenApiContract {

    /** One operation of the document. */
    public record Operation(String method, String path, JsonNode node) {

        /** The path with each path parameter filled in: the first of its enum, else a value no such thing has. */
        public String concretePath() {
            String concrete = path;
            for (JsonNode parameter : node.path("parameters")) {
                JsonNode values = parameter.path("schema").path("enum");
                concrete = concrete.replace("{" + parameter.get("name").asText() + "}", values.isArray() ? values.get(0).asText() : "s-openapi");
            }
            return concrete;
        }
    }

    private final JsonNode doc;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getDraft202012());

    public OpenApiContract(JsonNode doc) {
        if (!doc.path("openapi").asText().startsWith("3.1")) {
            throw new IllegalArgumentException("not an OpenAPI 3.1 document: " + doc.path("openapi"));
        }
        this.doc = doc;
    }

    public List<Operation> operations() {
        var operations = new ArrayList<Operation>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                var method = methods.next();
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()));
            }
        }
        return operations;
    }

    /** What is wrong with an answer to {@code operation}; empty when the document describes it. */
    public List<String> problems(Operation operation, int status, JsonNode body) {
        String where = operation.method() + " " + operation.path() + " answered " + status;
        JsonNode responses = operation.node().path("responses");
        if (!responses.has(String.valueOf(status))) {
            return List.of(where + ", which the document does not list");
        }
        String pointer = "#/paths/" + escape(operation.path()) + "/" + operation.method().toLowerCase() + "/responses/" + status;
        JsonNode response = responses.get(String.valueOf(status));
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText();
            response = at(pointer);
        }
        JsonNode content = response.path("content");
        String media = content.has("application/problem+json") ? "application/problem+json" : "application/json";
        if (!content.has(media) || body == null || !(body.isObject() || body.isArray())) {
            return List.of(); // no JSON documented or given (CSV, Parquet, Prometheus text, 204)
        }
        ObjectNode schema = ((ObjectNode) doc.deepCopy());
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$ref", pointer + "/content/" + escape(media) + "/schema");
        return registry.getSchema(schema.toString(), InputFormat.JSON).validate(body.toString(), InputFormat.JSON).stream().map(error -> where + ": " + error).toList();
    }

    private JsonNode at(String pointer) {
        return doc.at(pointer.substring(1));
    }

    private static String escape(String part) {
        return part.replace("~", "~0").replace("/", "~1");
    }
}
