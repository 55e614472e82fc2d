package dev.ccop.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.StopReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our kinds and reasons in OpenAI's words (finish_reason and error types of OpenAI's API reference). */
class OpenAiJsonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"END_TURN, stop", "STOP_SEQUENCE, stop", "MAX_TOKENS, length", "TOOL_USE, tool_calls"})
    void finishReasons(StopReason reason, String finishReason) {
        assertThat(OpenAiJson.finishReason(reason)).isEqualTo(finishReason);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(value = {"stop, END_TURN", "length, MAX_TOKENS", "tool_calls, TOOL_USE", "function_call, TOOL_USE",
        "content_filter, END_TURN", "NULL, END_TURN"}, nullValues = "NULL")
    void stopReasonsFromServers(String finishReason, StopReason reason) {
        assertThat(OpenAiJson.stopReason(finishReason)).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INVALID_REQUEST, invalid_request_error", "REQUEST_TOO_LARGE, invalid_request_error",
        "AUTHENTICATION, authentication_error", "PERMISSION, permission_error", "NOT_FOUND, not_found_error",
        "RATE_LIMIT, rate_limit_error", "OVERLOADED, server_error", "API_ERROR, server_error", "TIMEOUT, server_error"})
    void errorTypes(ErrorKind kind, String type) {
        assertThat(OpenAiJson.errorType(kind)).isEqualTo(type);
    }
}
