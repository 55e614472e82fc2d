package dev.ccop.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.ToolChoice;
import org.junit.jupiter.api.Test;

class OpenAiRequestDecoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder();

    private ChatRequest decode(String messages, String extra) throws Exception {
        return decoder.decode(MAPPER.readTree("{\"model\":\"m\"," + extra + "\"messages\":" + messages + "}")).request();
    }

    @Test
    void leadingSystemAndDeveloperMessagesAreTheSystemPromptLaterOnesStayInPlace() throws Exception {
        ChatRequest request = decode("[{\"role\":\"system\",\"content\":\"A\"},{\"role\":\"developer\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"B\"}]},{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"system\",\"content\":\"C\"}]", "");

        assertThat(request.system()).containsExactly(new Block.Text("A"), new Block.Text("B"));
        assertThat(request.messages()).extracting(m -> m.role()).containsExactly(Role.USER, Role.SYSTEM);
    }

    @Test
    void consecutiveToolMessagesAreOneTurnAndEmptyArgumentsAreAnEmptyObject() throws Exception {
        ChatRequest request = decode("[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}},"
                + "{\"id\":\"b\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"k\\\":1}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"1\"},{\"role\":\"tool\",\"tool_call_id\":\"b\",\"content\":\"2\"}]", "");

        assertThat(request.messages()).hasSize(3);
        Block.ToolUse first = (Block.ToolUse) request.messages().get(1).content().get(0);
        assertThat(first.input().toString()).isEqualTo("{}");
        assertThat(request.messages().get(2).content()).hasSize(2).allMatch(Block.ToolResult.class::isInstance);
    }

    @Test
    void toolChoiceForms() throws Exception {
        String user = "[{\"role\":\"user\",\"content\":\"x\"}]";
        assertThat(decode(user, "\"tool_choice\":\"required\",").toolChoice().mode()).isEqualTo(ToolChoice.Mode.ANY);
        assertThat(decode(user, "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},").toolChoice())
                .isEqualTo(new ToolChoice(ToolChoice.Mode.TOOL, "f"));
    }

    @Test
    void dataUrlImagesAreDecodedAndOthersRefused() throws Exception {
        ChatRequest request = decode("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/jpeg;base64,/9j/AA==\"}},{\"type\":\"text\",\"text\":\"what?\"}]}]", "");
        assertThat(request.messages().getFirst().content().getFirst()).isEqualTo(new Block.Image("image/jpeg", "/9j/AA=="));

        assertThatThrownBy(() -> decode("[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"https://example.com/cat.png\"}}]}]", ""))
                .isInstanceOf(ProxyError.class).hasMessageContaining("never fetches URLs");
    }

    @Test
    void badInputIsA400NamingTheField() {
        assertThatThrownBy(() -> decode("[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"a\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":\"{oops\"}}]}]", ""))
                .hasMessageContaining("messages[0].tool_calls[0].function.arguments");
        assertThatThrownBy(() -> decode("[{\"role\":\"user\",\"content\":\"x\"}]", "\"n\":2,")).hasMessageContaining("n:");
        assertThatThrownBy(() -> decode("[{\"role\":\"user\",\"content\":\"x\"}]", "\"reasoning_effort\":\"huge\","))
                .hasMessageContaining("reasoning_effort");
        assertThatThrownBy(() -> decode("[{\"role\":\"robot\",\"content\":\"x\"}]", "")).hasMessageContaining("messages[0].role");
        assertThatThrownBy(() -> decode("[]", "")).hasMessageContaining("messages");
    }
}
