package dev.ccop.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;

/** OpenAI's names for our canonical values, and the error envelope. */
final class OpenAiJson {
    static final ObjectMapper MAPPER = Json.MAPPER;

    private OpenAiJson() {}

    static String finishReason(StopReason reason) {
        return switch (reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
        };
    }

    static StopReason stopReason(String finishReason) {
        return switch (finishReason == null ? "" : finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            default -> StopReason.END_TURN;
        };
    }

    /** {@code {"error":{"message","type","param","code"}}} */
    static ObjectNode error(ProxyError error) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode inner = body.putObject("error").put("message", error.getMessage()).put("type", errorType(error.kind()));
        inner.putNull("param");
        if (error.kind() == ErrorKind.NOT_FOUND) {
            inner.put("code", "model_not_found");
        } else if (error.kind() == ErrorKind.TIMEOUT) {
            inner.put("code", "timeout");
        } else {
            inner.putNull("code");
        }
        return body;
    }

    static String errorType(ErrorKind kind) {
        return switch (kind) {
            case INVALID_REQUEST, REQUEST_TOO_LARGE -> "invalid_request_error";
            case AUTHENTICATION -> "authentication_error";
            case PERMISSION -> "permission_error";
            case NOT_FOUND -> "not_found_error";
            case RATE_LIMIT -> "rate_limit_error";
            case OVERLOADED, API_ERROR, TIMEOUT -> "server_error";
        };
    }

}
