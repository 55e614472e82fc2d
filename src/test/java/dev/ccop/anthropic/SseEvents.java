package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads a complete SSE body: event names in order, and the data of a named event. */
final class SseEvents {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SseEvents() {}

    static List<String> names(String body) {
        List<String> names = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("event: ")) {
                names.add(line.substring("event: ".length()));
            }
        }
        return names;
    }

    static List<JsonNode> datas(String body) {
        List<JsonNode> data = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ")) {
                try {
                    data.add(MAPPER.readTree(line.substring("data: ".length())));
                } catch (IOException e) {
                    throw new AssertionError("data line is not JSON: " + line, e);
                }
            }
        }
        return data;
    }

    static JsonNode data(String body, String eventName) {
        List<String> names = names(body);
        List<JsonNode> data = datas(body);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(eventName)) {
                return data.get(i);
            }
        }
        throw new AssertionError("no " + eventName + " event in " + body);
    }
}
