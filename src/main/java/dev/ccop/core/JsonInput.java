package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads from a request body that fail with a 400 naming the field's path (e.g. {@code messages[2].role}).
 * Shared by every front so that "missing or wrongly typed field" reads the same everywhere.
 */
public final class JsonInput {
    private JsonInput() {}

    public static ObjectNode object(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw wrongType(path, "an object", node);
    }

    public static String requiredString(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw missing(join(path, field));
        }
        if (!node.isTextual()) {
            throw wrongType(join(path, field), "a string", node);
        }
        return node.textValue();
    }

    public static String optionalString(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(join(path, field), "a string", node);
        }
        return node.textValue();
    }

    public static Integer optionalInt(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType(join(path, field), "an integer", node);
        }
        return node.intValue();
    }

    public static Double optionalNumber(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(join(path, field), "a number", node);
        }
        return node.doubleValue();
    }

    public static boolean optionalBoolean(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw wrongType(join(path, field), "a boolean", node);
        }
        return node.booleanValue();
    }

    /** The array at {@code field}, or an empty list when absent. */
    public static List<JsonNode> optionalArray(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw wrongType(join(path, field), "an array", node);
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    public static List<String> optionalStringList(JsonNode parent, String field, String path) {
        List<JsonNode> items = optionalArray(parent, field, path);
        List<String> strings = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isTextual()) {
                throw wrongType(join(path, field) + "[" + i + "]", "a string", item);
            }
            strings.add(item.textValue());
        }
        return strings;
    }

    public static ProxyError missing(String path) {
        return ProxyError.invalidRequest(path + ": field required");
    }

    public static ProxyError wrongType(String path, String expected, JsonNode actual) {
        return ProxyError.invalidRequest(path + ": expected " + expected + ", got " + describe(actual));
    }

    public static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            default -> node.getNodeType().name().toLowerCase();
        };
    }
}
