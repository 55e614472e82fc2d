package dev.ccop.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunk shapes from Ollama's docs/api.md ("Generate a chat completion", streaming responses). */
class OllamaChunkDecoderTest {
    private final OllamaChunkDecoder decoder = new OllamaChunkDecoder();

    @Test
    void contentAndThinkingChunksBecomeDeltas() {
        assertThat(decoder.decode("{\"model\":\"m\",\"created_at\":\"2025-07-07T20:22:19.184789Z\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}"))
                .containsExactly(new ChatEvent.TextDelta("Hi"));
        assertThat(decoder.decode("{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"hmm\"},\"done\":false}"))
                .containsExactly(new ChatEvent.ReasoningDelta("hmm"));
    }

    @Test
    void finalChunkCarriesStopReasonAndUsage() {
        List<ChatEvent> events = decoder.decode("{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":5,\"prompt_eval_count\":26,\"eval_count\":298}");

        assertThat(events).containsExactly(new ChatEvent.Finished(StopReason.END_TURN, new Usage(26, 298)));
    }

    @Test
    void lengthIsMaxTokensAndAToolCallMakesItToolUse() {
        assertThat(decoder.decode("{\"done\":true,\"done_reason\":\"length\"}"))
                .containsExactly(new ChatEvent.Finished(StopReason.MAX_TOKENS, new Usage(0, 0)));

        OllamaChunkDecoder withTool = new OllamaChunkDecoder();
        List<ChatEvent> call = withTool.decode("{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                + "{\"id\":\"call_ab12cd34\",\"function\":{\"index\":0,\"name\":\"get_weather\",\"arguments\":{\"city\":\"Tokyo\"}}}]},"
                + "\"done\":false}");
        assertThat(call).singleElement().isInstanceOfSatisfying(ChatEvent.ToolCall.class, c -> {
            assertThat(c.id()).isEqualTo("call_ab12cd34");
            assertThat(c.input().toString()).isEqualTo("{\"city\":\"Tokyo\"}");
        });
        assertThat(withTool.decode("{\"done\":true,\"done_reason\":\"stop\"}"))
                .containsExactly(new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(0, 0)));
    }

    @Test
    void toolCallsWithoutIdsGetUniqueToolUseIds() {
        String chunk = "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":["
                + "{\"function\":{\"name\":\"a\",\"arguments\":{}}},{\"function\":{\"name\":\"b\",\"arguments\":\"{\\\"x\\\":1}\"}}]}}";

        List<ChatEvent> events = decoder.decode(chunk);

        ChatEvent.ToolCall first = (ChatEvent.ToolCall) events.get(0);
        ChatEvent.ToolCall second = (ChatEvent.ToolCall) events.get(1);
        assertThat(first.id()).startsWith("toolu_").isNotEqualTo(second.id());
        assertThat(second.input().toString()).isEqualTo("{\"x\":1}");
    }

    @Test
    void errorLinesAndGarbageBecomeFailures() {
        assertThat(decoder.decode("{\"error\":\"an error was encountered while running the model\"}"))
                .singleElement().isInstanceOfSatisfying(ChatEvent.Failed.class, f -> {
                    assertThat(f.error().kind()).isEqualTo(ErrorKind.API_ERROR);
                    assertThat(f.error().getMessage()).contains("an error was encountered while running the model");
                });
        assertThat(decoder.decode("<html>")).singleElement().isInstanceOf(ChatEvent.Failed.class);
    }
}
