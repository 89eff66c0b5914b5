package io.thrustline.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thrustline.http.Json;
import io.thrustline.schemas.TrainingEvent;
import java.io.IOException;

/** Schemas as they were before a change, for checking what the registry accepts. */
final class SchemaEvolution {

    private SchemaEvolution() {}

    /** TrainingEvent as it was before SetLogged had setType, as JSON. */
    static Object beforeSetTypes() throws IOException {
        var schema = (ObjectNode) Json.MAPPER.readTree(TrainingEvent.getClassSchema().toString());
        for (var field : schema.withArray("fields")) {
            if (field.get("name").asText().equals("payload")) {
                var fields = (ArrayNode) field.get("type").get(0).get("fields");
                for (int i = fields.size() - 1; i >= 0; i--) {
                    if (fields.get(i).get("name").asText().equals("setType")) {
                        fields.remove(i);
                    }
                }
            }
        }
        return schema;
    }
}
