package dev.ccop.agent;

import static dev.ccop.testing.Events.decodeAll;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.StopReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The claude CLI's stream-json lines (shapes as in src/test/resources/claude-code/cli-output) to events. */
class StreamJsonDecoderTest {
    private static final String RESULT = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"Hi\","
            + "\"usage\":{\"input_tokens\":3,\"cache_read_input_tokens\":10,\"cache_creation_input_tokens\":5,"
            + "\"output_tokens\":7}}";

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("partial messages stream; the whole assistant message is not repeated", List.of(
                        "{\"type\":\"system\",\"subtype\":\"init\"}",
                        "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}}",
                        "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"H\"}}}",
                        "{\"type\":\"stream_event\",\"event\":{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"i\"}}}",
                        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}}",
                        RESULT),
                        List.of(thinking("hm"), text("H"), text("i"), finished(StopReason.END_TURN, 18, 7))),
                Arguments.of("without partial messages, each assistant turn whole, set apart", List.of(
                        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"One\"}]}}",
                        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"Bash\"}]}}",
                        "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\"}]}}",
                        "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"Two\"}]}}",
                        RESULT),
                        List.of(text("One"), text("\n\nTwo"), finished(StopReason.END_TURN, 18, 7))),
                Arguments.of("plain warnings are not the answer; max turns is max_tokens", List.of(
                        "Warning: something",
                        "{\"type\":\"result\",\"subtype\":\"error_max_turns\",\"is_error\":false,\"usage\":{\"output_tokens\":1}}"),
                        List.of(finished(StopReason.MAX_TOKENS, 0, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void translates(String name, List<String> lines, List<ChatEvent> expected) {
        assertThat(decodeAll(new StreamJsonDecoder(), lines)).isEqualTo(expected);
    }

    @Test
    void anErrorResultIsAFailureThatSaysWhy() {
        List<ChatEvent> events = decodeAll(new StreamJsonDecoder(), List.of(
                "{\"type\":\"result\",\"subtype\":\"error_during_execution\",\"is_error\":true,\"result\":\"no credit\"}"));
        assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class,
                f -> assertThat(f.error().getMessage()).contains("error_during_execution").contains("no credit"));
    }
}
