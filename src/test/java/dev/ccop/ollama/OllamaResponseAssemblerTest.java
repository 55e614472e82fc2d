package dev.ccop.ollama;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.Json;
import dev.ccop.core.StopReason;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical events folded into one Ollama answer ({@code "stream": false} in Ollama's docs/api.md). */
class OllamaResponseAssemblerTest {
    private static final List<String> TIMES = List.of("created_at", "total_duration", "load_duration",
            "prompt_eval_duration", "eval_duration");

    static Stream<Arguments> table() {
        String stats = "\"done\":true,\"done_reason\":\"%s\",\"prompt_eval_count\":3,\"eval_count\":4";
        return Stream.of(
                Arguments.of("chat: content, thinking and calls in one message", false, List.of(thinking("hm"),
                        text("A"), call("c1", "f", "{\"a\":1}"), finished(StopReason.TOOL_USE, 3, 4)),
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"A\",\"thinking\":\"hm\","
                                + "\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":"
                                + "{\"a\":1}}}]}," + stats.formatted("stop") + "}"),
                Arguments.of("generate: response; length", true, List.of(text("A"), text("B"),
                        finished(StopReason.MAX_TOKENS, 3, 4)),
                        "{\"model\":\"m\",\"response\":\"AB\"," + stats.formatted("length") + "}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void folds(String name, boolean generate, List<ChatEvent> events, String answer) {
        OllamaResponseAssembler assembler = new OllamaResponseAssembler("m", generate);
        ObjectNode whole = null;
        for (ChatEvent event : events) {
            whole = assembler.add(event);
        }
        whole.remove(TIMES);
        assertThat(Json.write(whole)).isEqualTo(answer);
    }
}
