package dev.ccop.ollama;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canonical events in, Ollama NDJSON out (the chunk shapes of Ollama's docs/api.md, /api/chat and /api/generate).
 * Times vary by run, so {@code created_at} and the durations are checked for presence and then left out.
 */
class OllamaStreamEncoderTest {
    private static final List<String> TIMES = List.of("created_at", "total_duration", "load_duration",
            "prompt_eval_duration", "eval_duration");

    static Stream<Arguments> table() {
        String done = ",\"done\":true,\"done_reason\":\"%s\",\"prompt_eval_count\":3,\"eval_count\":4}";
        return Stream.of(
                Arguments.of("chat: content, thinking, the final statistics", false,
                        List.of(thinking("hm"), text("Hi"), finished(StopReason.END_TURN, 3, 4)), List.of(
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hm\"},\"done\":false}",
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}",
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"}" + done.formatted("stop"))),
                Arguments.of("chat: tool calls with object arguments and an index", false,
                        List.of(call("c1", "f", "{\"a\":1}"), finished(StopReason.TOOL_USE, 3, 4)), List.of(
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"id\":\"c1\","
                                + "\"function\":{\"index\":0,\"name\":\"f\",\"arguments\":{\"a\":1}}}]},\"done\":false}",
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"}" + done.formatted("stop"))),
                Arguments.of("generate: response and length", true,
                        List.of(text("Hi"), finished(StopReason.MAX_TOKENS, 3, 4)), List.of(
                        "{\"model\":\"m\",\"response\":\"Hi\",\"done\":false}",
                        "{\"model\":\"m\",\"response\":\"\"" + done.formatted("length"))),
                Arguments.of("a failure is an error line", false,
                        List.of(text("Hi"), new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502, "broke"))), List.of(
                        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}",
                        "{\"error\":\"broke\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void encodes(String name, boolean generate, List<ChatEvent> events, List<String> lines) throws Exception {
        OllamaStreamEncoder encoder = new OllamaStreamEncoder("m", generate);
        assertThat(encoder.start()).isEmpty();
        assertThat(encoder.ping()).as("NDJSON has no keep-alive").isEmpty();
        List<String> out = new ArrayList<>();
        for (ChatEvent event : events) {
            String frame = encoder.encode(event);
            assertThat(frame).endsWith("\n").doesNotContain("\n\n");
            ObjectNode line = (ObjectNode) Json.MAPPER.readTree(frame);
            if (line.has("model")) {
                assertThat(line.has("created_at")).isTrue();
            }
            if (line.path("done").asBoolean()) {
                assertThat(line.path("total_duration").asLong()).isGreaterThanOrEqualTo(0);
            }
            line.remove(TIMES);
            out.add(Json.write(line));
        }
        assertThat(out).isEqualTo(lines);
    }
}
