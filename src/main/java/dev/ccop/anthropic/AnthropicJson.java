package dev.ccop.anthropic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
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


    /** A JSON string literal, quotes included. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8).append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, sb);
        return sb.append('"').toString();
    }
}
