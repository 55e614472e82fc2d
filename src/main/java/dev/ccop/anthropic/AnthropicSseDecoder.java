package dev.ccop.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import dev.ccop.upstream.LineDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Anthropic's SSE stream (the Messages API, or a proxy of it) to events; tool inputs arrive whole at block stop. */
final class AnthropicSseDecoder implements LineDecoder {
    private final Map<Integer, ToolBlock> tools = new HashMap<>();
    private int inputTokens;
    private int outputTokens;
    private StopReason stopReason = StopReason.END_TURN;

    private static final class ToolBlock {
        final String id;
        final String name;
        final StringBuilder json = new StringBuilder();

        ToolBlock(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    @Override
    public List<ChatEvent> decode(String line) {
        if (!line.startsWith("data:")) {
            return List.of(); // event: lines repeat the data's type
        }
        JsonNode data;
        try {
            data = AnthropicJson.MAPPER.readTree(line.substring(5).strip());
        } catch (JsonProcessingException e) {
            return List.of(new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                    "The Anthropic API sent an event that is not JSON")));
        }
        return switch (data.path("type").asText()) {
            case "message_start" -> {
                inputTokens = data.path("message").path("usage").path("input_tokens").asInt(0);
                yield List.of();
            }
            case "content_block_start" -> {
                JsonNode block = data.path("content_block");
                if (block.path("type").asText().equals("tool_use")) {
                    tools.put(data.path("index").asInt(), new ToolBlock(block.path("id").asText(), block.path("name").asText()));
                }
                yield List.of();
            }
            case "content_block_delta" -> delta(data.path("index").asInt(), data.path("delta"));
            case "content_block_stop" -> {
                ToolBlock tool = tools.remove(data.path("index").asInt());
                yield tool == null ? List.of()
                        : List.of(new ChatEvent.ToolCall(tool.id, tool.name, Json.objectOrEmpty(tool.json.toString())));
            }
            case "message_delta" -> {
                String reason = data.path("delta").path("stop_reason").asText("");
                stopReason = switch (reason) {
                    case "max_tokens" -> StopReason.MAX_TOKENS;
                    case "tool_use" -> StopReason.TOOL_USE;
                    case "stop_sequence" -> StopReason.STOP_SEQUENCE;
                    default -> StopReason.END_TURN;
                };
                JsonNode usage = data.path("usage");
                outputTokens = usage.path("output_tokens").asInt(outputTokens);
                inputTokens = usage.path("input_tokens").asInt(inputTokens);
                yield List.of();
            }
            case "message_stop" -> List.of(new ChatEvent.Finished(stopReason, new Usage(inputTokens, outputTokens)));
            case "error" -> {
                JsonNode error = data.path("error");
                ErrorKind kind = switch (error.path("type").asText()) {
                    case "overloaded_error" -> ErrorKind.OVERLOADED;
                    case "rate_limit_error" -> ErrorKind.RATE_LIMIT;
                    case "invalid_request_error" -> ErrorKind.INVALID_REQUEST;
                    default -> ErrorKind.API_ERROR;
                };
                yield List.of(new ChatEvent.Failed(new ProxyError(kind, kind == ErrorKind.OVERLOADED ? 529 : 500,
                        "The Anthropic API failed mid-answer: " + error.path("message").asText())));
            }
            default -> List.of(); // ping
        };
    }

    private List<ChatEvent> delta(int index, JsonNode delta) {
        return switch (delta.path("type").asText()) {
            case "text_delta" -> List.of(new ChatEvent.TextDelta(delta.path("text").asText()));
            case "thinking_delta" -> List.of(new ChatEvent.ReasoningDelta(delta.path("thinking").asText()));
            case "signature_delta" -> List.of(new ChatEvent.ReasoningSignature(delta.path("signature").asText()));
            case "input_json_delta" -> {
                ToolBlock tool = tools.get(index);
                if (tool != null) {
                    tool.json.append(delta.path("partial_json").asText());
                }
                yield List.of();
            }
            default -> List.of();
        };
    }

    @Override
    public List<ChatEvent> atEnd() {
        return List.of();
    }

}
