package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Json;
import dev.ccop.openai.OpenAiRequestDecoder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the Anthropic backend sends for a request from another dialect: an OpenAI chat request in, the Messages body
 * out (field names from Anthropic's Messages API reference).
 */
class AnthropicRequestEncoderTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("system, a turn, sampling; max_tokens defaults; temperature capped at 1",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                                + "{\"role\":\"user\",\"content\":\"Hi\"}],\"temperature\":1.5,\"top_p\":0.9,\"stop\":\"END\"}",
                        "{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],\"messages\":[{\"role\":"
                                + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}],\"max_tokens\":4096,"
                                + "\"temperature\":1.0,\"top_p\":0.9,\"stop_sequences\":[\"END\"],\"stream\":true}"),
                Arguments.of("a tool call and its result; a forced tool",
                        "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
                                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
                                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"5 C\"}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"w\",\"parameters\":{\"type\":\"object\"}}}],"
                                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"w\"}}}",
                        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"}]},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"c1\",\"name\":\"w\","
                                + "\"input\":{\"city\":\"Oslo\"}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                                + "\"tool_use_id\":\"c1\",\"content\":[{\"type\":\"text\",\"text\":\"5 C\"}]}]}],"
                                + "\"tools\":[{\"name\":\"w\",\"input_schema\":{\"type\":\"object\"}}],"
                                + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"w\"},\"max_tokens\":100,\"stream\":true}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void encodes(String name, String openAiBody, String anthropicBody) throws Exception {
        ChatRequest request = new OpenAiRequestDecoder().decode(Json.MAPPER.readTree(openAiBody)).request();
        JsonNode encoded = new AnthropicRequestEncoder().encode(request);
        assertThat(Json.write(encoded)).isEqualTo(anthropicBody);
    }
}
