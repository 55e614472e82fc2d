package dev.ccop.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccop.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the model-map text forms: {@code a=b,c=d} or a JSON object of strings. Order is kept. */
final class ModelMaps {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private ModelMaps() {}

    static Map<String, String> parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (text.isBlank()) {
            return entries;
        }
        if (text.startsWith("{")) {
            JsonNode root;
            try {
                root = MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not a valid JSON object: " + e.getOriginalMessage());
            }
            root.fields().forEachRemaining(field -> {
                if (!field.getValue().isTextual() || field.getValue().textValue().isBlank()) {
                    throw new IllegalArgumentException("the value for '" + field.getKey() + "' must be a model name");
                }
                entries.put(field.getKey(), field.getValue().textValue().trim());
            });
            return entries;
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("expected 'client-name=ollama-model', got '" + pair.strip() + "'");
            }
            entries.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return entries;
    }
}
