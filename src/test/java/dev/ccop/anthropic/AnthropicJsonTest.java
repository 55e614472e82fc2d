package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.StopReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our kinds and reasons in Anthropic's words (the error types and stop reasons of Anthropic's API reference). */
class AnthropicJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INVALID_REQUEST, invalid_request_error", "AUTHENTICATION, authentication_error",
        "PERMISSION, permission_error", "NOT_FOUND, not_found_error", "REQUEST_TOO_LARGE, request_too_large",
        "RATE_LIMIT, rate_limit_error", "OVERLOADED, overloaded_error", "TIMEOUT, timeout_error", "API_ERROR, api_error"})
    void errorTypes(ErrorKind kind, String type) {
        assertThat(AnthropicJson.errorType(kind)).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"END_TURN, end_turn", "MAX_TOKENS, max_tokens", "STOP_SEQUENCE, stop_sequence", "TOOL_USE, tool_use"})
    void stopReasons(StopReason reason, String name) {
        assertThat(AnthropicJson.stopReason(reason)).isEqualTo(name);
    }
}
