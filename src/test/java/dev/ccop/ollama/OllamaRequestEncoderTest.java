package dev.ccop.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.anthropic.AnthropicRequestDecoder;
import dev.ccop.core.ChatRequest;
import dev.ccop.testing.Fixtures;
import org.junit.jupiter.api.Test;

class OllamaRequestEncoderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final OllamaRequestEncoder.ModelSettings THINKING_MODEL =
            new OllamaRequestEncoder.ModelSettings(true, null, null, null, false);
    private static final OllamaRequestEncoder.ModelSettings PLAIN_MODEL = OllamaRequestEncoder.ModelSettings.PLAIN;

    private final AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();
    private final OllamaRequestEncoder encoder = new OllamaRequestEncoder();

    private ObjectNode encode(String anthropicJson, OllamaRequestEncoder.ModelSettings settings) throws Exception {
        ChatRequest request = decoder.decodeMessages(MAPPER.readTree(anthropicJson));
        return encoder.encode(request.withModel("qwen3:8b"), settings);
    }

    @Test
    void systemBecomesOneLeadingSystemMessageAndSamplingGoesToOptions() throws Exception {
        ObjectNode body = encode("{\"model\":\"claude\",\"max_tokens\":128,\"temperature\":0.5,\"top_p\":0.8,\"top_k\":20,"
                + "\"stop_sequences\":[\"###\"],\"system\":[{\"type\":\"text\",\"text\":\"A\"},{\"type\":\"text\",\"text\":\"B\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", PLAIN_MODEL);

        assertThat(body.toString()).isEqualTo("{\"model\":\"qwen3:8b\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"A\\n\\nB\"},{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"options\":{\"num_predict\":128,\"temperature\":0.5,\"top_p\":0.8,\"top_k\":20,\"stop\":[\"###\"]},"
                + "\"stream\":true}");
    }

    @Test
    void toolUseAndToolResultRoundTripInOllamasShape() throws Exception {
        ObjectNode body = encode("{\"model\":\"c\",\"max_tokens\":5,"
                + "\"tools\":[{\"name\":\"Bash\",\"description\":\"Run a command\","
                + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"list files\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"use ls\",\"signature\":\"s\"},"
                + "{\"type\":\"text\",\"text\":\"Listing.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\",\"a\":1}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"here:\"},"
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[{\"type\":\"text\",\"text\":\"a.txt\"}]}]}]}",
                PLAIN_MODEL);

        JsonNode messages = body.get("messages");
        assertThat(messages.get(1).toString()).isEqualTo("{\"role\":\"assistant\",\"content\":\"Listing.\","
                + "\"thinking\":\"use ls\",\"tool_calls\":[{\"id\":\"toolu_1\",\"function\":{\"name\":\"Bash\","
                + "\"arguments\":{\"command\":\"ls\",\"a\":1}}}]}");
        assertThat(messages.get(2).toString()).isEqualTo(
                "{\"role\":\"tool\",\"content\":\"a.txt\",\"tool_name\":\"Bash\",\"tool_call_id\":\"toolu_1\"}");
        assertThat(messages.get(3).toString()).isEqualTo("{\"role\":\"user\",\"content\":\"here:\"}");
        assertThat(body.get("tools").toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":\"Bash\","
                + "\"description\":\"Run a command\",\"parameters\":{\"type\":\"object\",\"properties\":"
                + "{\"command\":{\"type\":\"string\"}}}}}]");
    }

    @Test
    void failedToolResultsAreToldToTheModel() throws Exception {
        ObjectNode body = encode("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"Exit code 127\",\"is_error\":true}]}]}",
                PLAIN_MODEL);

        assertThat(body.get("messages").get(0).path("content").asText()).isEqualTo("Error: Exit code 127");
        assertThat(body.get("messages")).hasSize(1);
    }

    @Test
    void toolChoiceNoneSendsNoTools() throws Exception {
        ObjectNode body = encode("{\"model\":\"c\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"none\"},"
                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", PLAIN_MODEL);

        assertThat(body.has("tools")).isFalse();
    }

    @Test
    void imagesGoToTheMessageImages() throws Exception {
        ObjectNode body = encode("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
                + "{\"type\":\"text\",\"text\":\"what is this?\"}]}]}", PLAIN_MODEL);

        assertThat(body.get("messages").get(0).toString())
                .isEqualTo("{\"role\":\"user\",\"content\":\"what is this?\",\"images\":[\"iVBORw0KGgo=\"]}");
    }

    @Test
    void thinkIsSentOnlyWhenTheModelCanThinkAndTheClientSaidSomething() throws Exception {
        String enabled = "{\"model\":\"c\",\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String effort = "{\"model\":\"c\",\"max_tokens\":5,\"thinking\":{\"type\":\"adaptive\"},"
                + "\"output_config\":{\"effort\":\"low\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        assertThat(encode(enabled, THINKING_MODEL).get("think").asBoolean()).isTrue();
        assertThat(encode(effort, THINKING_MODEL).get("think").asText()).isEqualTo("low");
        assertThat(encode(enabled, PLAIN_MODEL).has("think")).isFalse();
    }

    @Test
    void claudeCodesPerRequestBillingHeaderIsNotSentUpstream() {
        JsonNode body = Fixtures.claudeCode("simple-main-request.json");
        assertThat(body.path("system").get(0).path("text").asText()).startsWith("x-anthropic-billing-header:");

        ObjectNode encoded = encoder.encode(decoder.decodeMessages(body).withModel("m"), PLAIN_MODEL);

        String system = encoded.get("messages").get(0).path("content").asText();
        assertThat(system).doesNotContain("x-anthropic-billing-header").startsWith("You are a Claude agent");
    }

    @Test
    void theSecondTurnOfAConversationRepeatsTheFirstTurnsBytesAsAPrefix() throws Exception {
        ObjectNode second = (ObjectNode) Fixtures.claudeCode("tool-result-followup.json");
        ObjectNode first = second.deepCopy();
        var firstMessages = (com.fasterxml.jackson.databind.node.ArrayNode) first.get("messages");
        while (firstMessages.size() > 2) {
            firstMessages.remove(firstMessages.size() - 1);
        }
        // Claude Code changes the billing header on every request.
        ((ObjectNode) first.get("system").get(0)).put("text", "x-anthropic-billing-header: cc_version=2.1.330.111;");

        ObjectNode a = encoder.encode(decoder.decodeMessages(first).withModel("m"), PLAIN_MODEL);
        String b = MAPPER.writeValueAsString(encoder.encode(decoder.decodeMessages(second).withModel("m"), PLAIN_MODEL));

        String turnOne = MAPPER.writeValueAsString(a.get("messages"));
        String firstPrompt = "{\"model\":\"m\",\"messages\":" + turnOne.substring(0, turnOne.length() - 1);
        assertThat(a.get("messages")).hasSize(3); // system, user, Claude Code's in-conversation system message
        assertThat(b).startsWith(firstPrompt);
    }

    private static String messagesPrefix(ObjectNode body) {
        return body.get("messages").get(0).toString() + body.get("messages").get(1).toString() + "]";
    }
}
