package dev.ccop.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import dev.ccop.upstream.LineDecoder;
import java.util.List;

/**
 * The Claude Code CLI's {@code --output-format stream-json --verbose --include-partial-messages} lines to events
 * (formats as the CLI printed them; captures in the tests' resources). The agent's text and thinking stream from the
 * {@code stream_event} deltas of every model call it makes; its own tool calls stay inside the agent; the final
 * {@code result} line ends the answer with the run's usage.
 */
final class StreamJsonDecoder implements LineDecoder {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private boolean streamedText;
    private boolean wroteText;

    @Override
    public List<ChatEvent> decode(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return List.of(); // the CLI may print plain warnings; they are not part of the answer
        }
        return switch (node.path("type").asText()) {
            case "stream_event" -> streamEvent(node.path("event"));
            case "assistant" -> streamedText ? List.of() : assistantText(node.path("message"));
            case "result" -> List.of(result(node));
            default -> List.of(); // system init/status, user (tool results inside the agent)
        };
    }

    private List<ChatEvent> streamEvent(JsonNode event) {
        if (!event.path("type").asText().equals("content_block_delta")) {
            return List.of();
        }
        JsonNode delta = event.path("delta");
        return switch (delta.path("type").asText()) {
            case "text_delta" -> {
                streamedText = true;
                yield List.of(new ChatEvent.TextDelta(delta.path("text").asText()));
            }
            case "thinking_delta" -> List.of(new ChatEvent.ReasoningDelta(delta.path("thinking").asText()));
            default -> List.of();
        };
    }

    /** Without partial messages (an older CLI), each assistant message's text arrives whole; turns are set apart. */
    private List<ChatEvent> assistantText(JsonNode message) {
        StringBuilder text = new StringBuilder(wroteText ? "\n\n" : "");
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        }
        if (text.isEmpty() || text.toString().isBlank()) {
            return List.of();
        }
        wroteText = true;
        return List.of(new ChatEvent.TextDelta(text.toString()));
    }

    private static ChatEvent result(JsonNode result) {
        if (result.path("is_error").asBoolean(false)) {
            return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502, "The Claude Code agent failed ("
                    + result.path("subtype").asText() + "): " + result.path("result").asText("")));
        }
        JsonNode usage = result.path("usage");
        int input = usage.path("input_tokens").asInt(0) + usage.path("cache_read_input_tokens").asInt(0)
                + usage.path("cache_creation_input_tokens").asInt(0);
        StopReason reason = result.path("subtype").asText().equals("error_max_turns") ? StopReason.MAX_TOKENS
                : StopReason.END_TURN;
        return new ChatEvent.Finished(reason, new Usage(input, usage.path("output_tokens").asInt(0)));
    }

    @Override
    public List<ChatEvent> atEnd() {
        return List.of();
    }
}
