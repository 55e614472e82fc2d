package dev.ccop.anthropic;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.decodeAll;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.StopReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Anthropic Messages stream (the event grammar of Anthropic's streaming docs) in, canonical events out. */
class AnthropicSseDecoderTest {

    private static String data(String json) {
        return "data: " + json;
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("text with usage from message_start and message_delta", List.of(
                        "event: message_start",
                        data("{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}"),
                        data("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                        data("{\"type\":\"ping\"}"),
                        data("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"),
                        data("{\"type\":\"content_block_stop\",\"index\":0}"),
                        data("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}"),
                        data("{\"type\":\"message_stop\"}")),
                        List.of(text("Hi"), finished(StopReason.END_TURN, 25, 15))),
                Arguments.of("thinking keeps its signature", List.of(
                        data("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\"}}"),
                        data("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}"),
                        data("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"),
                        data("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":2}}"),
                        data("{\"type\":\"message_stop\"}")),
                        List.of(thinking("hm"), new ChatEvent.ReasoningSignature("sig"), finished(StopReason.MAX_TOKENS, 0, 2))),
                Arguments.of("a tool_use block's partial JSON becomes one call at its stop", List.of(
                        data("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                                + "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{}}}"),
                        data("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\":\"}}"),
                        data("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"ls\\\"}\"}}"),
                        data("{\"type\":\"content_block_stop\",\"index\":1}"),
                        data("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":9}}"),
                        data("{\"type\":\"message_stop\"}")),
                        List.of(call("toolu_1", "Bash", "{\"command\":\"ls\"}"), finished(StopReason.TOOL_USE, 0, 9))),
                Arguments.of("stop_sequence", List.of(
                        data("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"stop_sequence\"},\"usage\":{}}"),
                        data("{\"type\":\"message_stop\"}")),
                        List.of(finished(StopReason.STOP_SEQUENCE, 0, 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void translates(String name, List<String> lines, List<ChatEvent> expected) {
        assertThat(decodeAll(new AnthropicSseDecoder(), lines)).isEqualTo(expected);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("overloaded_error", ErrorKind.OVERLOADED, 529),
                Arguments.of("rate_limit_error", ErrorKind.RATE_LIMIT, 500),
                Arguments.of("invalid_request_error", ErrorKind.INVALID_REQUEST, 500),
                Arguments.of("api_error", ErrorKind.API_ERROR, 500),
                Arguments.of("something_new", ErrorKind.API_ERROR, 500));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("errors")
    void errorEventsKeepTheirKind(String type, ErrorKind kind, int status) {
        List<ChatEvent> events = decodeAll(new AnthropicSseDecoder(), List.of(
                data("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"busy\"}}")));
        assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class, f -> {
            assertThat(f.error().kind()).isEqualTo(kind);
            assertThat(f.error().status()).isEqualTo(status);
            assertThat(f.error().getMessage()).contains("busy");
        });
    }
}
