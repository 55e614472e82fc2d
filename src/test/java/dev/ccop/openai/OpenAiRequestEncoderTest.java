package dev.ccop.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.anthropic.AnthropicRequestDecoder;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the OpenAI-compatible backend sends for an Anthropic client's request: a Messages body in, the chat-completions
 * body out (field names from OpenAI's Chat Completions reference).
 */
class OpenAiRequestEncoderTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("system blocks joined; a turn; stop sequences; streaming with usage",
                        "{\"model\":\"m\",\"max_tokens\":50,\"system\":[{\"type\":\"text\",\"text\":\"A\"},{\"type\":\"text\","
                                + "\"text\":\"B\"}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stop_sequences\":[\"X\"]}",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"A\\n\\nB\"},{\"role\":\"user\","
                                + "\"content\":\"Hi\"}],\"max_tokens\":50,\"stop\":[\"X\"],\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":true}}"),
                Arguments.of("tool_use becomes tool_calls; each tool_result a tool message; an error result says so",
                        "{\"model\":\"m\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Go\"},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\","
                                + "\"input\":{\"command\":\"ls\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                                + "\"tool_use_id\":\"t1\",\"is_error\":true,\"content\":\"denied\"},{\"type\":\"text\",\"text\":\"Why?\"}]}],"
                                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"any\"}}",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Go\"},{\"role\":\"assistant\","
                                + "\"content\":null,\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":"
                                + "\"Bash\",\"arguments\":\"{\\\"command\\\":\\\"ls\\\"}\"}}]},{\"role\":\"tool\",\"tool_call_id\":"
                                + "\"t1\",\"content\":\"Error: denied\"},{\"role\":\"user\",\"content\":\"Why?\"}],\"tools\":[{\"type\":"
                                + "\"function\",\"function\":{\"name\":\"Bash\",\"parameters\":{\"type\":\"object\"}}}],"
                                + "\"tool_choice\":\"required\",\"max_tokens\":50,\"stream\":true,"
                                + "\"stream_options\":{\"include_usage\":true}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void encodes(String name, String anthropicBody, String openAiBody) throws Exception {
        ChatRequest request = new AnthropicRequestDecoder().decodeMessages(Json.MAPPER.readTree(anthropicBody));
        JsonNode encoded = new OpenAiRequestEncoder().encode(request);
        assertThat(Json.write(encoded)).isEqualTo(openAiBody);
    }
}
