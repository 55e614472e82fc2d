package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a tool call's arguments against the tool's {@code input_schema} (JSON Schema 2020-12, which Claude Code
 * declares) and mends the slips local models make: a number or boolean sent as a string, a string sent as a number,
 * an object or array sent as a JSON string.
 */
public final class ToolArguments {
    private static final Logger LOG = LoggerFactory.getLogger(ToolArguments.class);
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final int MAX_CACHED_SCHEMAS = 1024;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Optional<Schema>> schemas = new ConcurrentHashMap<>();
    private final Map<String, Optional<String>> schemaProblems = new ConcurrentHashMap<>();
    private volatile Schema metaSchema;

    public sealed interface Outcome {
        /** {@code coerced} says whether {@code input} differs from what the model sent. */
        record Valid(ObjectNode input, boolean coerced) implements Outcome {}

        record Invalid(String problems) implements Outcome {}
    }

    public Outcome check(Tool tool, ObjectNode input) {
        Optional<Schema> schema = schema(tool);
        if (schema.isEmpty()) {
            return new Outcome.Valid(input, false);
        }
        List<com.networknt.schema.Error> errors = schema.get().validate(input);
        if (errors.isEmpty()) {
            return new Outcome.Valid(input, false);
        }
        ObjectNode coerced = input.deepCopy();
        coerceObject(tool.inputSchema(), coerced);
        List<com.networknt.schema.Error> remaining = schema.get().validate(coerced);
        if (remaining.isEmpty()) {
            return new Outcome.Valid(coerced, true);
        }
        return new Outcome.Invalid(String.join("; ", remaining.stream().limit(5).map(e -> e.getMessage()).toList()));
    }

    /**
     * What is wrong with a tool's {@code input_schema} as a JSON Schema (checked against the 2020-12 meta-schema,
     * which the validator carries, so nothing is fetched), or empty when nothing is. Anthropic and Ollama both refuse
     * such a tool; so does the proxy, naming it.
     */
    public Optional<String> schemaProblem(Tool tool) {
        if (tool.inputSchema() == null) {
            return Optional.empty();
        }
        if (!tool.inputSchema().isObject()) {
            return Optional.of("it is not a JSON object");
        }
        String key = tool.inputSchema().toString();
        Optional<String> known = schemaProblems.get(key);
        if (known != null) {
            return known;
        }
        Schema meta = metaSchema;
        if (meta == null) {
            meta = registry.getSchema(com.networknt.schema.SchemaLocation.of(
                    "https://json-schema.org/draft/2020-12/schema"));
            metaSchema = meta;
        }
        List<com.networknt.schema.Error> errors = meta.validate(tool.inputSchema());
        Optional<String> problem = errors.isEmpty() ? Optional.empty()
                : Optional.of(String.join("; ", errors.stream().limit(3).map(e -> e.getMessage()).toList()));
        if (schemaProblems.size() < MAX_CACHED_SCHEMAS) {
            schemaProblems.put(key, problem);
        }
        return problem;
    }

    private Optional<Schema> schema(Tool tool) {
        if (tool.inputSchema() == null || !tool.inputSchema().isObject()) {
            return Optional.empty();
        }
        String key = tool.inputSchema().toString();
        Optional<Schema> cached = schemas.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Schema> compiled;
        try {
            // Without $schema nothing is looked up by URL: the default dialect applies.
            ObjectNode copy = ((ObjectNode) tool.inputSchema()).deepCopy();
            copy.remove("$schema");
            compiled = Optional.of(registry.getSchema(copy));
        } catch (RuntimeException e) {
            LOG.debug("tool {} has a schema the validator cannot use ({}); its calls are not checked", tool.name(),
                    e.getMessage());
            compiled = Optional.empty();
        }
        if (schemas.size() < MAX_CACHED_SCHEMAS) {
            schemas.put(key, compiled);
        }
        return compiled;
    }

    private static void coerceObject(JsonNode schema, ObjectNode value) {
        JsonNode properties = schema.path("properties");
        properties.fields().forEachRemaining(property -> {
            JsonNode current = value.get(property.getKey());
            if (current != null) {
                value.set(property.getKey(), coerce(property.getValue(), current));
            }
        });
    }

    private static JsonNode coerce(JsonNode schema, JsonNode value) {
        List<String> types = types(schema);
        if (types.isEmpty() || types.contains(jsonType(value))
                || types.contains("number") && value.isNumber() || value.isNull() && types.contains("null")) {
            return recurse(schema, value);
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            if ((types.contains("integer") || types.contains("number")) && text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")) {
                JsonNode number = parse(text);
                if (number != null && (types.contains("number") || number.isIntegralNumber())) {
                    return number;
                }
            }
            if (types.contains("boolean") && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text.toLowerCase()));
            }
            if (types.contains("object") || types.contains("array")) {
                JsonNode parsed = parse(text);
                if (parsed != null && types.contains(jsonType(parsed))) {
                    return recurse(schema, parsed);
                }
            }
        }
        if (types.contains("string") && (value.isNumber() || value.isBoolean())) {
            return JsonNodeFactory.instance.textNode(value.asText());
        }
        return value;
    }

    private static JsonNode recurse(JsonNode schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            coerceObject(schema, object);
        } else if (value instanceof ArrayNode array && schema.has("items")) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, coerce(schema.get("items"), array.get(i)));
            }
        }
        return value;
    }

    private static List<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return List.of();
        }
        if (type.isTextual()) {
            return List.of(type.textValue());
        }
        return type.isArray() ? MAPPER.convertValue(type, MAPPER.getTypeFactory()
                .constructCollectionType(List.class, String.class)) : List.of();
    }

    private static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> "null";
        };
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
