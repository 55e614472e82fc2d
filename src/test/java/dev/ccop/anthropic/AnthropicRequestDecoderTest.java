package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.ToolChoice;
import dev.ccop.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnthropicRequestDecoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();

    private ChatRequest decode(String json) throws Exception {
        return decoder.decodeMessages(MAPPER.readTree(json));
    }

    private static String minimal(String extra) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100," + extra
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void systemAsAStringOrTextBlocks() throws Exception {
        assertThat(decode(minimal("\"system\":\"Be brief.\",")).system()).containsExactly(new Block.Text("Be brief."));
        assertThat(decode(minimal("\"system\":[{\"type\":\"text\",\"text\":\"A\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"text\",\"text\":\"B\"}],")).system())
                .containsExactly(new Block.Text("A"), new Block.Text("B"));
        assertThat(decode(minimal("")).system()).isEmpty();
    }

    @Test
    void systemMessagesInsideMessagesStayInPlace() throws Exception {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"one\"},{\"role\":\"system\",\"content\":\"note\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"two\"}]}]}");

        assertThat(request.messages()).extracting(m -> m.role()).containsExactly(Role.USER, Role.SYSTEM, Role.ASSISTANT);
        assertThat(request.messages().get(1).content()).containsExactly(new Block.Text("note"));
    }

    @Test
    void samplingOptionsAndStream() throws Exception {
        ChatRequest request = decode(minimal("\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40,"
                + "\"stop_sequences\":[\"END\",\"STOP\"],\"stream\":true,"));

        assertThat(request.sampling().maxTokens()).isEqualTo(100);
        assertThat(request.sampling().temperature()).isEqualTo(0.2);
        assertThat(request.sampling().topP()).isEqualTo(0.9);
        assertThat(request.sampling().topK()).isEqualTo(40);
        assertThat(request.sampling().stopSequences()).containsExactly("END", "STOP");
        assertThat(request.stream()).isTrue();
    }

    @Test
    void unsetSamplingOptionsStayNullSoNoDefaultsAreInjected() throws Exception {
        ChatRequest request = decode(minimal(""));

        assertThat(request.sampling().temperature()).isNull();
        assertThat(request.sampling().topP()).isNull();
        assertThat(request.sampling().topK()).isNull();
        assertThat(request.stream()).isFalse();
    }

    @Test
    void toolsToolChoiceAndToolBlocks() throws Exception {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":5,"
                + "\"tools\":[{\"name\":\"Bash\",\"description\":\"Run\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"Bash\"},\"messages\":["
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
                + "\"input\":{\"z\":1,\"a\":2}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"ok\",\"is_error\":true}]}]}");

        assertThat(request.tools()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("Bash"));
        assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "Bash"));
        Block.ToolUse use = (Block.ToolUse) request.messages().get(0).content().getFirst();
        assertThat(use.input().toString()).isEqualTo("{\"z\":1,\"a\":2}");
        assertThat(request.messages().get(1).content().getFirst())
                .isEqualTo(new Block.ToolResult("toolu_1", java.util.List.of(new Block.Text("ok")), true));
    }

    @Test
    void thinkingFromTypeOrEffort() throws Exception {
        assertThat(decode(minimal("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},")).thinking().enabled())
                .isTrue();
        assertThat(decode(minimal("\"thinking\":{\"type\":\"disabled\"},")).thinking().enabled()).isFalse();
        assertThat(decode(minimal("\"thinking\":{\"type\":\"adaptive\"},\"output_config\":{\"effort\":\"xhigh\"},"))
                .thinking().level()).isEqualTo("high");
        assertThat(decode(minimal("\"thinking\":{\"type\":\"adaptive\"},")).thinking().enabled()).isNull();
    }

    @Test
    void redactedThinkingIsDroppedAndToolReferencesBecomeReadableText() throws Exception {
        ChatRequest request = decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"redacted_thinking\",\"data\":\"xx\"},"
                + "{\"type\":\"text\",\"text\":\"t\"}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
                + "\"content\":[{\"type\":\"tool_reference\",\"tool_name\":\"WebFetch\"}]}]}]}");

        assertThat(request.messages().get(0).content()).containsExactly(new Block.Text("t"));
        Block.ToolResult result = (Block.ToolResult) request.messages().get(1).content().getFirst();
        assertThat(result.content()).containsExactly(new Block.Text("Tool loaded: WebFetch"));
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> decode("{\"max_tokens\":5,\"messages\":[]}"))
                .isInstanceOf(ProxyError.class).hasMessage("model: field required");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":\"5\",\"messages\":[]}"))
                .hasMessage("max_tokens: expected an integer, got a string");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}"))
                .hasMessage("messages: at least one message is required");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]}"))
                .hasMessage("messages[0].content: field required");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":"
                + "[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}"))
                .hasMessage("messages[0].content[0].text: field required");
        assertThatThrownBy(() -> decode(minimal("\"stop_sequences\":[\"a\",3],")))
                .hasMessage("stop_sequences[1]: expected a string, got a number");
        assertThatThrownBy(() -> decode(minimal("\"stream\":\"yes\",")))
                .hasMessage("stream: expected a boolean, got a string");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/y.png\"}}]}]}"))
                .hasMessageContaining("messages[0].content[0].source.type: 'url' images are not supported");
        assertThatThrownBy(() -> decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"document\",\"source\":{}}]}]}"))
                .hasMessageContaining("'document' are not supported");
        assertThat(catchStatus(() -> decode("{\"model\":1}"))).isEqualTo(400);
    }

    @Test
    void countTokensBodiesNeedNoMaxTokens() throws Exception {
        ChatRequest request = decoder.decodeCountTokens(Fixtures.claudeCode("count-tokens-request.json"));

        assertThat(request.sampling().maxTokens()).isNull();
        assertThat(request.messages()).hasSize(1);
    }

    static java.util.List<String> claudeCodeRequests() {
        return Fixtures.claudeCodeRequests().stream().filter(n -> !n.startsWith("count-tokens")).toList();
    }

    @ParameterizedTest
    @MethodSource("claudeCodeRequests")
    void everyCapturedClaudeCodeRequestDecodes(String fixture) {
        JsonNode body = Fixtures.claudeCode(fixture);

        ChatRequest request = decoder.decodeMessages(body);

        assertThat(request.model()).isEqualTo(body.path("model").asText());
        assertThat(request.messages()).hasSize(body.path("messages").size());
        assertThat(request.tools()).hasSize((int) Fixtures.callableToolCount(body));
        assertThat(request.system()).hasSize(body.path("system").size());
    }

    private static int catchStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
            return 0;
        } catch (ProxyError e) {
            return e.status();
        } catch (Throwable t) {
            return -1;
        }
    }
}
