package dev.ccop.anthropic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.AppliedEdit;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import java.util.List;
import java.util.Locale;

/** Anthropic's names for our canonical values, and the JSON shapes every Anthropic answer shares. */
final class AnthropicJson {
    static final ObjectMapper MAPPER = Json.MAPPER;

    private AnthropicJson() {}

    static String stopReason(StopReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    static String errorType(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case REQUEST_TOO_LARGE -> "request_too_large";
            case RATE_LIMIT -> "rate_limit_error";
            case OVERLOADED -> "overloaded_error";
            case TIMEOUT -> "timeout_error";
            case API_ERROR -> "api_error";
        };
    }

    /** {@code {"type":"error","error":{"type":…,"message":…},"request_id":…}} */
    static ObjectNode error(ProxyError error, String requestId) {
        ObjectNode body = MAPPER.createObjectNode().put("type", "error");
        body.putObject("error").put("type", errorType(error.kind())).put("message", error.getMessage());
        body.put("request_id", requestId);
        return body;
    }


    /**
     * The usage object: as in Anthropic's API, {@code input_tokens} are the prompt's tokens that were not read from the
     * cache and {@code cache_read_input_tokens} those that were, so the two add up to the whole prompt.
     */
    static ObjectNode usage(Usage usage) {
        return MAPPER.createObjectNode()
                .put("input_tokens", usage.uncachedInputTokens())
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", usage.cachedInputTokens())
                .put("output_tokens", usage.outputTokens());
    }

    /**
     * {@code {"applied_edits":[…]}} as Anthropic reports context editing: per edit its type and what it cleared
     * ({@code cleared_tool_uses} or {@code cleared_thinking_turns}, and {@code cleared_input_tokens}).
     */
    static ObjectNode contextManagement(List<AppliedEdit> edits) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode applied = body.putArray("applied_edits");
        for (AppliedEdit edit : edits) {
            ObjectNode out = applied.addObject().put("type", edit.type());
            out.put(edit.type().startsWith("clear_thinking") ? "cleared_thinking_turns" : "cleared_tool_uses",
                    edit.clearedCount());
            out.put("cleared_input_tokens", edit.clearedInputTokens());
        }
        return body;
    }

    /** A JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        return sb.append('"').toString();
    }
}
