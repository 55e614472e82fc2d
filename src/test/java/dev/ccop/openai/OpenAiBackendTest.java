package dev.ccop.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOpenAi;
import dev.ccop.testing.FakeOpenAi.Reply;
import dev.ccop.testing.Clients;
import dev.ccop.testing.ProxyHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official Anthropic SDK through the proxy with an OpenAI-compatible server as the backend. */
class OpenAiBackendTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeOpenAi server;
    private ProxyHarness harness;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeOpenAi("local-model", "other-model");
        FakeOllama unused = new FakeOllama();
        harness = new ProxyHarness(unused, ProxyHarness.withOpenAiProvider(ProxyHarness.config(unused.url(),
                Map.of("claude-*", "local-model"), null, Duration.ofSeconds(10), Duration.ofSeconds(30), null),
                server.baseUrl(), "sk-upstream-secret"));
        client = harness.anthropic();
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
        server.close();
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).system("Be brief.")
                .addUserMessage("Weather in Paris?")
                .addTool(Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                        .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city"))).build()).build());
    }

    private Message streamed(MessageCreateParams params) {
        return Clients.streamAndAccumulate(client, params);
    }

    @Test
    void textAndUsageComeThroughTheSameStreamedOrNot() {
        server.enqueue(Reply.text("Sun", "ny.").usage(40, 3)).enqueue(Reply.text("Sun", "ny.").usage(40, 3));

        Message whole = client.messages().create(params().build());
        Message streamed = streamed(params().build());

        assertThat(whole.content().getFirst().asText().text()).isEqualTo("Sunny.");
        assertThat(streamed.content()).isEqualTo(whole.content());
        assertThat(whole.usage().inputTokens()).isEqualTo(40);
        assertThat(streamed.usage().outputTokens()).isEqualTo(3);
        JsonNode request = server.lastRequest();
        assertThat(request.path("model").asText()).isEqualTo("local-model");
        assertThat(request.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(request.path("messages").get(0).path("content").asText()).isEqualTo("Be brief.");
        assertThat(request.path("tools").get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(server.authorizations()).allMatch(a -> a.equals("Bearer sk-upstream-secret"));
    }

    @Test
    void toolCallArgumentFragmentsBecomeOneCompleteToolUse() throws Exception {
        Reply reply = Reply.text("Checking.").toolCall("call_abc", "get_weather", "{\"ci", "ty\": \"Pa", "ris\"}");
        server.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(params().build());
        Message streamed = streamed(params().build());

        for (Message message : List.of(whole, streamed)) {
            assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
            var use = message.content().get(1).asToolUse();
            assertThat(use.id()).isEqualTo("call_abc");
            assertThat(MAPPER.readTree(MAPPER.writeValueAsString(use._input())).path("city").asText()).isEqualTo("Paris");
        }
    }

    @Test
    void reasoningContentBecomesAThinkingBlock() {
        server.enqueue(Reply.text().reasoning("Think.").usage(10, 2));
        server.enqueue(Reply.text("Answer."));

        Message message = client.messages().create(params().build());

        assertThat(message.content().getFirst().asThinking().thinking()).isEqualTo("Think.");
    }

    @Test
    void withoutAUsageChunkUsageIsEstimated() {
        server.enqueue(Reply.text("Four tokens here now").withoutUsage());

        Message message = client.messages().create(params().build());

        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isEqualTo(4);
    }

    @Test
    void upstreamErrorsKeepTheirStatusAndAnHtmlBodyIsAClearMessage() {
        server.enqueue(Reply.error(429, "Rate limit reached"));
        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(429))
                .hasMessageContaining("Rate limit reached");

        server.enqueue(Reply.html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"));
        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502))
                .hasMessageContaining("non-JSON (HTML) body").hasMessageContaining("502 Bad Gateway");
    }

    @Test
    void aContextLengthErrorKeepsTheServersWordsWhichClaudeCodeCompactsOn() {
        server.enqueue(Reply.error(400, "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens."));

        assertThatThrownBy(() -> client.messages().create(params().build()))
                .hasMessageContaining("maximum context length is 32768 tokens");
    }

    @Test
    void aMidStreamErrorEndsTheStreamWithAnErrorEvent() {
        server.enqueue(Reply.text("part").thenError("model crashed"));

        assertThatThrownBy(() -> streamed(params().build()))
                .isInstanceOf(SseException.class).hasMessageContaining("model crashed");
    }

    @Test
    void modelsAreListedFromTheServer() throws Exception {
        JsonNode models = MAPPER.readTree(harness.get("/v1/models").body());

        assertThat(models.path("data").findValuesAsText("id")).containsExactly("local-model", "other-model");
        assertThat(MAPPER.readTree(harness.get("/health/details").body()).path("upstream").path("backend").asText())
                .isEqualTo("openai");
    }
}
