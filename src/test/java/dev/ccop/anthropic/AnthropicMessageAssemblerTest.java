package dev.ccop.anthropic;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static dev.ccop.testing.Events.text;
import static dev.ccop.testing.Events.thinking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.StopReason;
import dev.ccop.core.ThinkingSigner;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonical events folded into one Anthropic message (the non-streaming shape of the Messages API). */
class AnthropicMessageAssemblerTest {
    private static final ThinkingSigner SIGNER = new ThinkingSigner(new byte[32]);
    private static final String HEAD = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",";

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("deltas of one kind join into one block", List.of(text("He"), text("llo"),
                        finished(StopReason.END_TURN, 3, 2)),
                        HEAD + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
                                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"cache_creation_input_tokens\":0,"
                                + "\"cache_read_input_tokens\":0,\"output_tokens\":2}}"),
                Arguments.of("thinking keeps the upstream signature; a tool call closes the text", List.of(thinking("a"),
                        new ChatEvent.ReasoningSignature("sig"), text("ok"), call("t1", "Bash", "{\"command\":\"ls\"}"),
                        finished(StopReason.TOOL_USE, 1, 1)),
                        HEAD + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":\"sig\"},{\"type\":"
                                + "\"text\",\"text\":\"ok\"},{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":"
                                + "{\"command\":\"ls\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                                + "\"usage\":{\"input_tokens\":1,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
                                + "\"output_tokens\":1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void folds(String name, List<ChatEvent> events, String message) {
        AnthropicMessageAssembler assembler = new AnthropicMessageAssembler("msg_1", "claude-x", SIGNER);
        ObjectNode whole = null;
        for (ChatEvent event : events) {
            whole = assembler.add(event);
        }
        assertThat(Json.write(whole)).isEqualTo(message);
    }

    @Test
    void cachedTokensAreCacheReadsAndAppliedEditsAreReported() {
        AnthropicMessageAssembler assembler = new AnthropicMessageAssembler("msg_1", "claude-x", SIGNER,
                List.of(new dev.ccop.core.AppliedEdit(dev.ccop.core.AppliedEdit.CLEAR_TOOL_USES, 4, 9000)));
        assembler.add(text("ok"));
        ObjectNode whole = assembler.add(new ChatEvent.Finished(StopReason.END_TURN, new dev.ccop.core.Usage(100, 5, 80)));
        assertThat(Json.write(whole.path("usage"))).isEqualTo("{\"input_tokens\":20,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":80,\"output_tokens\":5}");
        assertThat(Json.write(whole.path("context_management"))).isEqualTo("{\"applied_edits\":[{\"type\":"
                + "\"clear_tool_uses_20250919\",\"cleared_tool_uses\":4,\"cleared_input_tokens\":9000}]}");
    }

    @Test
    void thinkingWithoutASignatureIsSignedByTheProxy() {
        AnthropicMessageAssembler assembler = new AnthropicMessageAssembler("msg_1", "claude-x", SIGNER);
        assembler.add(thinking("plan"));
        ObjectNode whole = assembler.add(finished(StopReason.END_TURN, 1, 1));
        String signature = whole.path("content").get(0).path("signature").asText();
        assertThat(SIGNER.verify("plan", signature)).isTrue();
    }

    @Test
    void aFailureIsThrownForTheFrontToRender() {
        AnthropicMessageAssembler assembler = new AnthropicMessageAssembler("msg_1", "claude-x", SIGNER);
        ProxyError error = new ProxyError(ErrorKind.OVERLOADED, 529, "busy");
        assertThatThrownBy(() -> assembler.add(new ChatEvent.Failed(error))).isSameAs(error);
    }
}
