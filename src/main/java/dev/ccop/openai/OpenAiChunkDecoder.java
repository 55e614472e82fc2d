package dev.ccop.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Ids;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.TokenCounter;
import dev.ccop.core.Usage;
import dev.ccop.upstream.LineDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An OpenAI-compatible server's SSE stream ({@code data: {chat.completion.chunk}} lines, then {@code data: [DONE]})
 * to events. Tool calls arrive in fragments keyed by index and are delivered whole once the server says it finished;
 * {@code reasoning_content} or {@code reasoning} becomes thinking; usage comes from the usage chunk, else is estimated.
 */
final class OpenAiChunkDecoder implements LineDecoder {
    private final TokenCounter tokens;
    private final int estimatedInput;
    private final Map<Integer, PartialCall> calls = new TreeMap<>();
    private final StringBuilder produced = new StringBuilder();
    private String finishReason;
    private Usage usage;

    private static final class PartialCall {
        String id;
        String name = "";
        final StringBuilder arguments = new StringBuilder();
    }

    OpenAiChunkDecoder(TokenCounter tokens, int estimatedInput) {
        this.tokens = tokens;
        this.estimatedInput = estimatedInput;
    }

    @Override
    public List<ChatEvent> decode(String line) {
        if (!line.startsWith("data:")) {
            return List.of(); // event names, ids and ": keep-alive" comments carry nothing for us
        }
        String data = line.substring("data:".length()).strip();
        if (data.equals("[DONE]")) {
            return finish();
        }
        JsonNode chunk;
        try {
            chunk = OpenAiJson.MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            return List.of(failure("The OpenAI-compatible server sent a chunk that is not JSON: " + abbreviate(data)));
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            String message = error.isTextual() ? error.textValue() : error.path("message").asText(error.toString());
            return List.of(failure("The OpenAI-compatible server failed while generating: " + message));
        }
        if (chunk.hasNonNull("usage")) {
            JsonNode u = chunk.get("usage");
            usage = new Usage(u.path("prompt_tokens").asInt(0), u.path("completion_tokens").asInt(0));
        }
        List<ChatEvent> events = new ArrayList<>(2);
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String reasoning = delta.path("reasoning_content").asText(delta.path("reasoning").asText(""));
            if (!reasoning.isEmpty()) {
                produced.append(reasoning);
                events.add(new ChatEvent.ReasoningDelta(reasoning));
            }
            String content = delta.path("content").asText("");
            if (!content.isEmpty()) {
                produced.append(content);
                events.add(new ChatEvent.TextDelta(content));
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                PartialCall call = calls.computeIfAbsent(fragment.path("index").asInt(calls.size()), i -> new PartialCall());
                if (fragment.hasNonNull("id")) {
                    call.id = fragment.get("id").asText();
                }
                JsonNode function = fragment.path("function");
                call.name += function.path("name").asText("");
                call.arguments.append(function.path("arguments").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReason = choice.get("finish_reason").asText();
            }
        }
        return events;
    }

    /** Some servers end the body without {@code [DONE]}: a stream that said why it finished is complete. */
    @Override
    public List<ChatEvent> atEnd() {
        return finishReason != null ? finish() : List.of();
    }

    private List<ChatEvent> finish() {
        List<ChatEvent> events = new ArrayList<>();
        for (PartialCall call : calls.values()) {
            produced.append(call.arguments);
            events.add(new ChatEvent.ToolCall(call.id == null || call.id.isEmpty() ? Ids.toolUseId() : call.id,
                    call.name, Json.objectOrEmpty(call.arguments.toString())));
        }
        StopReason reason = calls.isEmpty() ? OpenAiJson.stopReason(finishReason) : StopReason.TOOL_USE;
        events.add(new ChatEvent.Finished(reason,
                usage != null ? usage : new Usage(estimatedInput, tokens.count(produced.toString()))));
        return events;
    }


    private static ChatEvent failure(String message) {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502, message));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
