package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorKindTest {

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "400, INVALID_REQUEST", "422, INVALID_REQUEST", "401, AUTHENTICATION", "403, PERMISSION", "404, NOT_FOUND",
        "413, REQUEST_TOO_LARGE", "429, RATE_LIMIT", "503, OVERLOADED", "529, OVERLOADED", "408, TIMEOUT",
        "504, TIMEOUT", "500, API_ERROR", "502, API_ERROR", "418, API_ERROR"})
    void upstreamStatusesHaveAKind(int status, ErrorKind kind) {
        assertThat(ErrorKind.forStatus(status)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} is answered as {1}")
    @CsvSource({"400, 400", "404, 404", "529, 529", "599, 599", "499, 499", "200, 500", "302, 500", "600, 500", "0, 500"})
    void onlyErrorStatusesReachTheClientAsThemselves(int status, int answered) {
        assertThat(new ProxyError(ErrorKind.API_ERROR, status, "x").httpStatus()).isEqualTo(answered);
    }
}
