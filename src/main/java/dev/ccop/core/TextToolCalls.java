package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads tool calls that a model wrote as text instead of emitting them as calls: the body of a
 * {@code <tool_call>…</tool_call>} tag, of a {@code ```json} fence or a bare JSON object
 * ({@code {"name":…, "arguments":…}} and its variants), or a {@code <function=Name>…</function>} block (a JSON body or
 * {@code <parameter=key>value</parameter>} pairs). Only names of tools the request offered count as calls.
 */
final class TextToolCalls {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final Pattern PARAMETER = Pattern.compile(
            "<parameter=([^>\\s]+)>\\s*(.*?)\\s*</parameter>", Pattern.DOTALL);

    record Call(String name, ObjectNode arguments) {}

    private TextToolCalls() {}

    /** The calls in a JSON body (one call object or an array of them); empty when it is not a call. */
    static List<Call> fromJson(String body, Set<String> toolNames) {
        JsonNode node = parse(body.strip());
        List<Call> calls = new ArrayList<>();
        if (node == null) {
            return calls;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                Call call = fromNode(item, toolNames);
                if (call == null) {
                    return List.of();
                }
                calls.add(call);
            }
            return calls;
        }
        Call call = fromNode(node, toolNames);
        return call == null ? List.of() : List.of(call);
    }

    /** The body of {@code <function=name>…</function>}. */
    static List<Call> fromFunctionTag(String name, String body, Set<String> toolNames) {
        if (!toolNames.contains(name)) {
            return List.of();
        }
        String trimmed = body.strip();
        if (trimmed.startsWith("{")) {
            JsonNode node = parse(trimmed);
            return node instanceof ObjectNode object ? List.of(new Call(name, object)) : List.of();
        }
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        Matcher matcher = PARAMETER.matcher(body);
        while (matcher.find()) {
            arguments.set(matcher.group(1), parameterValue(matcher.group(2)));
        }
        return List.of(new Call(name, arguments));
    }

    /** Values are strings unless they read as JSON numbers, booleans, objects or arrays; the schema check mends the rest. */
    private static JsonNode parameterValue(String text) {
        if (text.startsWith("{") || text.startsWith("[") || text.equals("true") || text.equals("false")
                || text.matches("-?\\d+(\\.\\d+)?")) {
            JsonNode parsed = parse(text);
            if (parsed != null) {
                return parsed;
            }
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private static Call fromNode(JsonNode node, Set<String> toolNames) {
        if (!(node instanceof ObjectNode object)) {
            return null;
        }
        JsonNode function = object.get("function");
        if (function instanceof ObjectNode nested && nested.has("name")) {
            object = nested;
        }
        String name = object.path("name").asText(object.path("tool").asText(""));
        if (!toolNames.contains(name)) {
            return null;
        }
        for (String field : new String[] {"arguments", "parameters", "input", "args"}) {
            JsonNode arguments = object.get(field);
            if (arguments instanceof ObjectNode argumentsObject) {
                return new Call(name, argumentsObject);
            }
            if (arguments != null && arguments.isTextual() && parse(arguments.textValue()) instanceof ObjectNode parsed) {
                return new Call(name, parsed);
            }
        }
        return object.size() == 1 ? new Call(name, JsonNodeFactory.instance.objectNode()) : null;
    }

    /**
     * The end (exclusive) of the JSON object or array starting at {@code start}, or -1 if it is not closed yet.
     * Strings and escapes are respected.
     */
    static int endOfJson(CharSequence text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
