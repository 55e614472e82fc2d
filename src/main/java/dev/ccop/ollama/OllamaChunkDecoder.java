package dev.ccop.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Ids;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import dev.ccop.upstream.LineDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code /api/chat} stream's NDJSON lines to {@link ChatEvent}s (one decoder per stream: it remembers whether a
 * tool call was seen, which makes the stop reason {@code tool_use}). Wire format: Ollama docs/api.md, "Generate a chat
 * completion" (streaming chunks, the final chunk's statistics, and errors after the first chunk).
 */
final class OllamaChunkDecoder implements LineDecoder {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private boolean sawToolCall;

    @Override
    public List<ChatEvent> decode(String line) {
        JsonNode chunk;
        try {
            chunk = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return List.of(new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                    "Ollama sent a line that is not JSON: " + abbreviate(line))));
        }
        if (chunk == null || !chunk.isObject()) {
            return List.of(new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                    "Ollama sent a line that is not a JSON object: " + abbreviate(line))));
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            return List.of(new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 500,
                    "Ollama failed while generating: " + (error.isTextual() ? error.textValue() : error.toString()))));
        }
        List<ChatEvent> events = new ArrayList<>(2);
        JsonNode message = chunk.path("message");
        String thinking = message.path("thinking").asText("");
        if (!thinking.isEmpty()) {
            events.add(new ChatEvent.ReasoningDelta(thinking));
        }
        String content = message.path("content").asText("");
        if (!content.isEmpty()) {
            events.add(new ChatEvent.TextDelta(content));
        }
        for (JsonNode call : message.path("tool_calls")) {
            events.add(toolCall(call));
        }
        if (chunk.path("done").asBoolean(false)) {
            // prompt_eval_count counts the whole prompt, cached part included; newer Ollama says how much was cached.
            events.add(new ChatEvent.Finished(stopReason(chunk.path("done_reason").asText("")), new Usage(
                    chunk.path("prompt_eval_count").asInt(0), chunk.path("eval_count").asInt(0),
                    chunk.path("prompt_eval_cached_count").asInt(0))));
        }
        return events;
    }

    /** Ollama always ends a complete answer with {@code done: true}; an end without it is a failure. */
    @Override
    public List<ChatEvent> atEnd() {
        return List.of();
    }

    private ChatEvent.ToolCall toolCall(JsonNode call) {
        sawToolCall = true;
        JsonNode function = call.path("function");
        String id = call.path("id").asText("");
        JsonNode arguments = function.get("arguments");
        // Some Ollama-compatible servers send arguments as a JSON string.
        ObjectNode input = arguments instanceof ObjectNode object ? object
                : Json.objectOrEmpty(arguments != null && arguments.isTextual() ? arguments.textValue() : null);
        // Older Ollama sends tool calls without ids; clients need unique ones to pair results with calls.
        return new ChatEvent.ToolCall(id.isEmpty() ? Ids.toolUseId() : id, function.path("name").asText(""), input);
    }


    private StopReason stopReason(String doneReason) {
        if (sawToolCall) {
            return StopReason.TOOL_USE;
        }
        return switch (doneReason) {
            case "length" -> StopReason.MAX_TOKENS;
            default -> StopReason.END_TURN;
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
