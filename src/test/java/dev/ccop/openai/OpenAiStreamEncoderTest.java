package dev.ccop.openai;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.StopReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical events in, OpenAI chat.completion.chunk frames out (the shapes of OpenAI's streaming reference). */
class OpenAiStreamEncoderTest {
    private static final String BASE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,"
            + "\"model\":\"gpt-x\",";

    private static String chunk(String delta, String finishReason) {
        return "data: " + BASE + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

    static Stream<Arguments> table() {
        String usage = "data: " + BASE + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,"
                + "\"total_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n";
        return Stream.of(
                Arguments.of("text and the end, usage included", ReasoningOutput.REASONING_CONTENT, true,
                        List.of(text("Hi"), finished(StopReason.END_TURN, 3, 4)),
                        chunk("{\"content\":\"Hi\"}", null) + chunk("{}", "stop") + usage + "data: [DONE]\n\n"),
                Arguments.of("reasoning as reasoning_content", ReasoningOutput.REASONING_CONTENT, false,
                        List.of(thinking("hm"), text("A"), finished(StopReason.MAX_TOKENS, 3, 4)),
                        chunk("{\"reasoning_content\":\"hm\"}", null) + chunk("{\"content\":\"A\"}", null)
                                + chunk("{}", "length") + "data: [DONE]\n\n"),
                Arguments.of("reasoning omitted", ReasoningOutput.OMIT, false,
                        List.of(thinking("hm"), text("A"), finished(StopReason.END_TURN, 3, 4)),
                        chunk("{\"content\":\"A\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n"),
                Arguments.of("reasoning in think tags, closed before the answer", ReasoningOutput.THINK_TAGS, false,
                        List.of(thinking("a"), thinking("b"), text("A"), finished(StopReason.END_TURN, 3, 4)),
                        chunk("{\"content\":\"<think>a\"}", null) + chunk("{\"content\":\"b\"}", null)
                                + chunk("{\"content\":\"</think>\\n\\n\"}", null) + chunk("{\"content\":\"A\"}", null)
                                + chunk("{}", "stop") + "data: [DONE]\n\n"),
                Arguments.of("tool calls numbered from 0, arguments as a string", ReasoningOutput.REASONING_CONTENT,
                        false, List.of(call("c1", "f", "{\"a\":1}"), call("c2", "g", "{}"),
                                finished(StopReason.TOOL_USE, 3, 4)),
                        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":"
                                + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}", null)
                                + chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"c2\",\"type\":\"function\",\"function\":"
                                + "{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null)
                                + chunk("{}", "tool_calls") + "data: [DONE]\n\n"),
                Arguments.of("a failure is an error object, then [DONE]", ReasoningOutput.REASONING_CONTENT, false,
                        List.of(text("A"), new ChatEvent.Failed(new ProxyError(ErrorKind.OVERLOADED, 503, "busy"))),
                        chunk("{\"content\":\"A\"}", null) + "data: {\"error\":{\"message\":\"busy\",\"type\":"
                                + "\"server_error\",\"param\":null,\"code\":null}}\n\ndata: [DONE]\n\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void encodes(String name, ReasoningOutput reasoning, boolean includeUsage, List<ChatEvent> events, String frames) {
        OpenAiStreamEncoder encoder = new OpenAiStreamEncoder("chatcmpl-1", "gpt-x", 7, includeUsage, reasoning);
        assertThat(encoder.start()).isEqualTo(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        StringBuilder out = new StringBuilder();
        events.forEach(event -> out.append(encoder.encode(event)));
        assertThat(out.toString()).isEqualTo(frames);
    }
}
