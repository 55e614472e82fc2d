package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.FakeAnthropic;
import dev.ccop.testing.FakeAnthropic.Reply;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.Clients;
import dev.ccop.testing.ProxyHarness;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claude as the backend: Anthropic clients relayed faithfully, Ollama clients translated (LangChain4j). */
class AnthropicBackendTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeAnthropic claude;
    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        claude = new FakeAnthropic();
        FakeOllama unused = new FakeOllama();
        harness = new ProxyHarness(unused, ProxyHarness.withAnthropicProvider(ProxyHarness.config(unused.url(),
                Map.of("llama3", "claude-sonnet-4-5"), "claude-sonnet-4-5", Duration.ofSeconds(5), Duration.ofSeconds(30),
                null), claude.url(), "sk-ant-upstream"));
    }

    @AfterEach
    void stop() {
        harness.close();
        claude.close();
    }

    @Test
    void anthropicClientsAreRelayedWithSignaturesAndBlocksUntouched() {
        claude.enqueue(new Reply().thinking("Let me think.", "EqQBCkgIBRABGAIiQL-real-signature")
                .text("I'll look.").toolUse("toolu_01", "Bash", "{\"command\":\"ls -la\"}"));
        AnthropicClient client = harness.anthropic();

        Message message = Clients.streamAndAccumulate(client, MessageCreateParams.builder()
                .model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("list files").build());
        client.close();

        assertThat(message.content().get(0).asThinking().signature()).isEqualTo("EqQBCkgIBRABGAIiQL-real-signature");
        assertThat(message.content().get(2).asToolUse().id()).isEqualTo("toolu_01");
        assertThat(claude.lastRequest().path("messages").get(0).path("content").asText()).isEqualTo("list files");
        assertThat(claude.lastHeaders().get("X-api-key")).containsExactly("sk-ant-upstream");
    }

    @Test
    void ollamaClientsReachClaudeWithTextStreamingAndTools() throws Exception {
        claude.enqueue(new Reply().text("Hi from Claude."));
        OllamaChatModel model = OllamaChatModel.builder().baseUrl(harness.baseUrl()).modelName("llama3").build();

        assertThat(model.chat("hello")).isEqualTo("Hi from Claude.");
        JsonNode sent = claude.lastRequest();
        assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(sent.path("max_tokens").asInt()).isPositive();

        claude.enqueue(new Reply().text("streamed"));
        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder().baseUrl(harness.baseUrl())
                .modelName("llama3").build();
        assertThat(Clients.stream(streaming, "hi").response().aiMessage().text()).isEqualTo("streamed");

        claude.enqueue(new Reply().toolUse("toolu_9", "get_weather", "{\"city\":\"Rome\"}"));
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Rome?"))
                .toolSpecifications(ToolSpecification.builder().name("get_weather")
                        .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build())
                .build());
        assertThat(response.aiMessage().toolExecutionRequests()).singleElement()
                .satisfies(call -> assertThat(call.arguments()).contains("Rome"));
        assertThat(claude.lastRequest().path("tools").get(0).path("input_schema").path("properties").has("city")).isTrue();
    }

    @Test
    void unsignedThinkingFromAnOllamaClientIsNotSentBackToClaude() throws Exception {
        harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\",\"thinking\":\"greet them\"},"
                + "{\"role\":\"user\",\"content\":\"again\"}]}");

        JsonNode assistant = claude.lastRequest().path("messages").get(1);
        assertThat(assistant.toString()).doesNotContain("greet them").contains("Hello");
    }

    @Test
    void ollamasFormatIsAskedForInTheSystemPrompt() throws Exception {
        harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"format\":{\"type\":\"object\","
                + "\"properties\":{\"age\":{\"type\":\"integer\"}}},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(claude.lastRequest().path("system").toString()).contains("JSON Schema").contains("age");
    }

    @Test
    void claudesErrorsReachOllamaClientsInOllamasShape() throws Exception {
        claude.enqueue(Reply.error(529, "overloaded_error", "Overloaded"));

        HttpResponse<String> response = harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(529);
        assertThat(MAPPER.readTree(response.body()).path("error").asText()).contains("Overloaded");
    }

    @Test
    void aRelayedStreamThatGoesSilentEndsWithAnErrorEventAfterTheRequestTimeout() throws Exception {
        FakeOllama unused = new FakeOllama();
        try (ProxyHarness strict = new ProxyHarness(unused, ProxyHarness.withAnthropicProvider(ProxyHarness.config(
                unused.url(), Map.of(), "claude-sonnet-4-5", Duration.ofSeconds(5), Duration.ofSeconds(1), null),
                claude.url(), "sk-ant-upstream"))) {
            claude.enqueue(new FakeAnthropic.Reply().text("never finished").stallAfter(3));

            HttpResponse<String> response = strict.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\","
                    + "\"max_tokens\":10,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(response.body()).contains("event: message_start").contains("event: error")
                    .contains("sent nothing for 1 s (--request-timeout)");
        }
    }
}
