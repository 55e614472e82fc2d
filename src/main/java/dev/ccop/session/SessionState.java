package dev.ccop.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the proxy decided about one conversation's context, kept between its requests so that every request gets the
 * same edits as the one before and only appends: Ollama then finds the previous prompt as the new one's prefix and
 * evaluates only what is new. Decisions only ever grow (a cleared result stays cleared), and the whole state is
 * small enough to store beside the session as JSON.
 */
final class SessionState {
    /** Tool uses (by id) whose results were replaced by a stub. */
    final Set<String> clearedResults = new LinkedHashSet<>();
    /** Tool uses (by id) whose inputs were replaced by a stub. */
    final Set<String> clearedInputs = new LinkedHashSet<>();
    /** Assistant turns (by content key) whose thinking was left out. */
    final Set<String> clearedThinking = new LinkedHashSet<>();
    /** The message (by content key) before which every message was dropped; null: none dropped. */
    String droppedBefore;
    /** Recalled passages, by the key of the user message they were added to. */
    final Map<String, String> recalls = new LinkedHashMap<>();

    boolean clearedAnything() {
        return !clearedResults.isEmpty() || droppedBefore != null;
    }

    String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        clearedResults.forEach(node.putArray("cleared_results")::add);
        clearedInputs.forEach(node.putArray("cleared_inputs")::add);
        clearedThinking.forEach(node.putArray("cleared_thinking")::add);
        if (droppedBefore != null) {
            node.put("dropped_before", droppedBefore);
        }
        ObjectNode recalled = node.putObject("recalls");
        recalls.forEach(recalled::put);
        return Json.write(node);
    }

    static SessionState fromJson(String json) {
        SessionState state = new SessionState();
        if (json == null || json.isBlank()) {
            return state;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            node.path("cleared_results").forEach(id -> state.clearedResults.add(id.asText()));
            node.path("cleared_inputs").forEach(id -> state.clearedInputs.add(id.asText()));
            node.path("cleared_thinking").forEach(id -> state.clearedThinking.add(id.asText()));
            state.droppedBefore = node.hasNonNull("dropped_before") ? node.get("dropped_before").asText() : null;
            node.path("recalls").fields().forEachRemaining(e -> state.recalls.put(e.getKey(), e.getValue().asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // an unreadable state is a fresh one: the next fitting decides anew
        }
        return state;
    }
}
