package dev.ccop.openai;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.decodeAll;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.StopReason;
import dev.ccop.core.TokenCounter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI chat-completion chunks (the streaming shape of OpenAI's API reference) in, canonical events out. */
class OpenAiChunkDecoderTest {
    private static final TokenCounter TOKENS = new TokenCounter();

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("text, then [DONE] with the usage chunk's figures", List.of(
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}",
                        ": keep-alive",
                        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}",
                        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2}}",
                        "data: [DONE]"),
                        List.of(text("Hel"), text("lo"), finished(StopReason.END_TURN, 12, 2))),
                Arguments.of("reasoning_content and reasoning both become thinking", List.of(
                        "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"a\"}}]}",
                        "data: {\"choices\":[{\"delta\":{\"reasoning\":\"b\"}}]}",
                        "data: {\"choices\":[{\"delta\":{\"content\":\"c\"},\"finish_reason\":\"length\"}],"
                                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":3}}",
                        "data: [DONE]"),
                        List.of(thinking("a"), thinking("b"), text("c"), finished(StopReason.MAX_TOKENS, 1, 3))),
                Arguments.of("a tool call in fragments is delivered whole at the end", List.of(
                        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}",
                        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"ci\"}}]}}]}",
                        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Oslo\\\"}\"}}]}}]}",
                        "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}],"
                                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}",
                        "data: [DONE]"),
                        List.of(call("call_1", "get_weather", "{\"city\":\"Oslo\"}"), finished(StopReason.TOOL_USE, 5, 7))),
                Arguments.of("unreadable arguments become {} (the schema check says what came)", List.of(
                        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\","
                                + "\"arguments\":\"{not json\"}}]},\"finish_reason\":\"tool_calls\"}],"
                                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}",
                        "data: [DONE]"),
                        List.of(call("c", "f", "{}"), finished(StopReason.TOOL_USE, 1, 1))),
                Arguments.of("a body that ends after finish_reason without [DONE] is complete", List.of(
                        "data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],"
                                + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}"),
                        List.of(text("x"), finished(StopReason.END_TURN, 2, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void translates(String name, List<String> lines, List<ChatEvent> expected) {
        assertThat(decodeAll(new OpenAiChunkDecoder(TOKENS, 0), lines)).isEqualTo(expected);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(List.of("data: {not json"), "not JSON"),
                Arguments.of(List.of("data: {\"error\":{\"message\":\"out of memory\"}}"), "out of memory"),
                Arguments.of(List.of("data: {\"error\":\"model crashed\"}"), "model crashed"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("failures")
    void brokenStreamsEndWithAFailure(List<String> lines, String saying) {
        List<ChatEvent> events = decodeAll(new OpenAiChunkDecoder(TOKENS, 0), lines);
        assertThat(events.getLast()).isInstanceOfSatisfying(ChatEvent.Failed.class,
                f -> assertThat(f.error().getMessage()).contains(saying));
    }
}
