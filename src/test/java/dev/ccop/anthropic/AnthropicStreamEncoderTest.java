package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ThinkingSigner signer = new ThinkingSigner(new byte[32]);
    private final AnthropicStreamEncoder encoder = new AnthropicStreamEncoder("msg_1", "claude-x", 99, "req_1", signer);

    private String run(ChatEvent... events) {
        StringBuilder out = new StringBuilder(encoder.start());
        for (ChatEvent event : events) {
            out.append(encoder.encode(event));
        }
        return out.toString();
    }

    private static ChatEvent.ToolCall tool(String id) throws Exception {
        return new ChatEvent.ToolCall(id, "Bash", (com.fasterxml.jackson.databind.node.ObjectNode)
                MAPPER.readTree("{\"command\":\"ls <dir>\"}"));
    }

    @Test
    void messageStartHasTheClientsModelAnEstimateAndEmptyContent() throws Exception {
        JsonNode start = SseEvents.data(encoder.start(), "message_start").path("message");

        assertThat(start.path("id").asText()).isEqualTo("msg_1");
        assertThat(start.path("model").asText()).isEqualTo("claude-x");
        assertThat(start.path("content").isEmpty()).isTrue();
        assertThat(start.path("stop_reason").isNull()).isTrue();
        assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(99);
    }

    @Test
    void blocksAreNumberedFromZeroAndOnlyOneIsOpenAtATime() throws Exception {
        String sse = run(new ChatEvent.ReasoningDelta("think"), new ChatEvent.ReasoningDelta("ing"),
                new ChatEvent.TextDelta("Hi"), tool("toolu_a"), tool("toolu_b"), new ChatEvent.TextDelta("after"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(10, 20)));

        assertThat(SseEvents.names(sse)).containsExactly("message_start",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        List<JsonNode> data = SseEvents.datas(sse);
        List<Integer> starts = new ArrayList<>();
        int open = -1;
        for (JsonNode event : data) {
            switch (event.path("type").asText()) {
                case "content_block_start" -> {
                    assertThat(open).as("a block is already open").isEqualTo(-1);
                    open = event.path("index").asInt();
                    starts.add(open);
                }
                case "content_block_delta" -> assertThat(event.path("index").asInt()).isEqualTo(open);
                case "content_block_stop" -> {
                    assertThat(event.path("index").asInt()).isEqualTo(open);
                    open = -1;
                }
                default -> { }
            }
        }
        assertThat(starts).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void blockStartsCarryTheEmptyShapesSdkAccumulatorsNeed() throws Exception {
        String sse = run(new ChatEvent.ReasoningDelta("r"), new ChatEvent.TextDelta("t"), tool("toolu_a"),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(1, 2)));
        List<JsonNode> blocks = SseEvents.datas(sse).stream()
                .filter(e -> e.path("type").asText().equals("content_block_start"))
                .map(e -> e.path("content_block")).toList();

        assertThat(blocks.get(0).toString()).isEqualTo("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
        assertThat(blocks.get(1).toString()).isEqualTo("{\"type\":\"text\",\"text\":\"\"}");
        assertThat(blocks.get(2).toString()).isEqualTo("{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"Bash\",\"input\":{}}");
    }

    @Test
    void aThinkingBlockClosesWithASignatureOfItsWholeTextThatTheProxyCanVerify() {
        String sse = run(new ChatEvent.ReasoningDelta("first "), new ChatEvent.ReasoningDelta("second"),
                new ChatEvent.TextDelta("answer"), new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 2)));
        JsonNode signature = SseEvents.datas(sse).stream()
                .filter(e -> e.path("delta").path("type").asText().equals("signature_delta")).findFirst().orElseThrow();

        assertThat(signature.path("index").asInt()).isZero();
        assertThat(signer.verify("first second", signature.path("delta").path("signature").asText())).isTrue();
        assertThat(signer.verify("tampered", signature.path("delta").path("signature").asText())).isFalse();
    }

    @Test
    void aToolCallIsOneCompleteJsonDelta() throws Exception {
        String sse = run(tool("toolu_a"), new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(1, 2)));
        JsonNode delta = SseEvents.datas(sse).stream()
                .filter(e -> e.path("type").asText().equals("content_block_delta")).findFirst().orElseThrow();

        assertThat(delta.path("delta").path("type").asText()).isEqualTo("input_json_delta");
        assertThat(MAPPER.readTree(delta.path("delta").path("partial_json").asText()).path("command").asText())
                .isEqualTo("ls <dir>");
    }

    @Test
    void finishWritesStopReasonAndRealUsage() {
        String sse = run(new ChatEvent.TextDelta("x"), new ChatEvent.Finished(StopReason.MAX_TOKENS, new Usage(120, 64)));
        JsonNode delta = SseEvents.data(sse, "message_delta");

        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(delta.path("delta").has("stop_sequence")).isTrue();
        assertThat(delta.path("usage").path("input_tokens").asInt()).isEqualTo(120);
        assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void failureEndsTheStreamWithAnErrorEventAndNothingMayFollow() {
        String sse = run(new ChatEvent.TextDelta("x"),
                new ChatEvent.Failed(new ProxyError(ErrorKind.OVERLOADED, 503, "busy")));

        assertThat(SseEvents.names(sse)).endsWith("error");
        JsonNode error = SseEvents.data(sse, "error");
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(error.path("request_id").asText()).isEqualTo("req_1");
        assertThatThrownBy(() -> encoder.encode(new ChatEvent.TextDelta("late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void textIsEscapedAsJson() {
        String sse = run(new ChatEvent.TextDelta("quote \" newline \n tab \t unicode é </script>"));

        assertThat(SseEvents.datas(sse).get(2).path("delta").path("text").asText())
                .isEqualTo("quote \" newline \n tab \t unicode é </script>");
    }
}
