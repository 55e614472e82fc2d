package dev.ccop.openai;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.Json;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.StopReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical events folded into one chat.completion (the non-streaming shape of OpenAI's reference). */
class OpenAiResponseAssemblerTest {
    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"gpt-x\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",";
    private static final String USAGE = "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}";

    static Stream<Arguments> table() {
        List<ChatEvent> reasoned = List.of(thinking("hm"), text("A"), finished(StopReason.END_TURN, 3, 4));
        return Stream.of(
                Arguments.of("reasoning_content beside the answer", ReasoningOutput.REASONING_CONTENT, reasoned,
                        HEAD + "\"content\":\"A\",\"reasoning_content\":\"hm\",\"refusal\":null},\"logprobs\":null,"
                        + "\"finish_reason\":\"stop\"}]," + USAGE),
                Arguments.of("reasoning omitted", ReasoningOutput.OMIT, reasoned,
                        HEAD + "\"content\":\"A\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}]," + USAGE),
                Arguments.of("reasoning in think tags", ReasoningOutput.THINK_TAGS, reasoned,
                        HEAD + "\"content\":\"<think>hm</think>\\n\\nA\",\"refusal\":null},\"logprobs\":null,"
                        + "\"finish_reason\":\"stop\"}]," + USAGE),
                Arguments.of("tool calls only: content null", ReasoningOutput.REASONING_CONTENT,
                        List.of(call("c1", "f", "{\"a\":1}"), finished(StopReason.TOOL_USE, 3, 4)),
                        HEAD + "\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":"
                                + "{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},\"logprobs\":null,"
                                + "\"finish_reason\":\"tool_calls\"}],"
                                + USAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void folds(String name, ReasoningOutput reasoning, List<ChatEvent> events, String response) {
        OpenAiResponseAssembler assembler = new OpenAiResponseAssembler("chatcmpl-1", "gpt-x", 7, reasoning);
        ObjectNode whole = null;
        for (ChatEvent event : events) {
            whole = assembler.add(event);
        }
        assertThat(Json.write(whole)).isEqualTo(response);
    }
}
