package dev.ccop.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.Clients;
import dev.ccop.testing.ProxyHarness;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's Ollama client against the proxy's Ollama front. The backend here is the Ollama test double: the
 * front's translation is what is under test (an Anthropic backend behind it is the next step, issue #7).
 */
class OllamaFrontTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeOllama backend;
    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        backend = new FakeOllama().model("qwen3:8b", "completion", "tools", "thinking");
        harness = new ProxyHarness(backend, Map.of("claude-sonnet", "qwen3:8b"), "qwen3:8b", Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private OllamaChatModel chatModel() {
        return OllamaChatModel.builder().baseUrl(harness.baseUrl()).modelName("claude-sonnet").timeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void langChain4jGetsAnAnswerWithUsage() {
        backend.enqueue(Reply.text("Hello ", "Ollama client.").counts(12, 3));

        ChatResponse response = chatModel().chat(ChatRequest.builder().messages(UserMessage.from("hi")).build());

        assertThat(response.aiMessage().text()).isEqualTo("Hello Ollama client.");
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(12);
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
        assertThat(backend.lastChatRequest().path("options").path("num_predict").asInt())
                .isEqualTo(OllamaRequestDecoder.DEFAULT_MAX_TOKENS);
    }

    @Test
    void langChain4jStreamsTheAnswer() throws Exception {
        backend.enqueue(Reply.text("one ", "two ", "three"));
        OllamaStreamingChatModel model = OllamaStreamingChatModel.builder().baseUrl(harness.baseUrl())
                .modelName("claude-sonnet").build();
        Clients.Streamed streamed = Clients.stream(model, "count");

        assertThat(streamed.response().aiMessage().text()).isEqualTo("one two three");
        assertThat(streamed.partials()).isEqualTo("one two three");
    }

    @Test
    void langChain4jToolCallsComeBackWithObjectArguments() {
        backend.enqueue(Reply.text().toolCall("call_1", "get_weather", "{\"city\":\"Berlin\"}"));
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("Weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

        ChatResponse response = chatModel().chat(ChatRequest.builder().messages(UserMessage.from("Weather in Berlin?"))
                .toolSpecifications(weather).build());

        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments()).contains("Berlin");
        });
        assertThat(backend.lastChatRequest().path("tools").get(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
    }

    @Test
    void rawWireFormatMatchesOllamas() throws Exception {
        backend.enqueue(Reply.text().thinking("hmm").content("Hi").counts(5, 2));

        HttpResponse<String> response = harness.post("/api/chat", "{\"model\":\"claude-sonnet\",\"think\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = response.body().lines().map(OllamaFrontTest::parse).toList();
        assertThat(lines.get(0).path("message").path("thinking").asText()).isEqualTo("hmm");
        assertThat(lines.get(1).path("message").path("content").asText()).isEqualTo("Hi");
        JsonNode last = lines.getLast();
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
        assertThat(last.path("prompt_eval_count").asInt()).isEqualTo(5);
        assertThat(last.path("eval_count").asInt()).isEqualTo(2);
        assertThat(last.path("total_duration").asLong()).isPositive();
        assertThat(backend.lastChatRequest().path("think").asBoolean()).isTrue();
    }

    @Test
    void generateAndTheModelEndpoints() throws Exception {
        backend.enqueue(Reply.text("42"));
        JsonNode generated = MAPPER.readTree(harness.post("/api/generate", "{\"model\":\"claude-sonnet\",\"prompt\":\"6*7?\","
                + "\"system\":\"Answer with a number.\",\"stream\":false}").body());
        assertThat(generated.path("response").asText()).isEqualTo("42");
        assertThat(generated.path("done").asBoolean()).isTrue();
        assertThat(backend.lastChatRequest().path("messages").get(0).path("content").asText()).isEqualTo("Answer with a number.");

        assertThat(harness.get("/").body()).isEqualTo("Ollama is running");
        assertThat(MAPPER.readTree(harness.get("/api/version").body()).path("version").asText()).isNotEmpty();
        JsonNode tags = MAPPER.readTree(harness.get("/api/tags").body());
        assertThat(tags.path("models").get(0).path("name").asText()).isEqualTo("qwen3:8b");
        assertThat(tags.path("models").get(0).has("digest")).isTrue();
        JsonNode show = MAPPER.readTree(harness.post("/api/show", "{\"model\":\"claude-sonnet\"}").body());
        assertThat(show.path("capabilities").findValuesAsText("capabilities")).isEmpty();
        assertThat(show.path("capabilities").toString()).contains("tools").contains("thinking");
        assertThat(show.path("model_info").path("proxy.context_length").asInt()).isEqualTo(32768);
        assertThat(MAPPER.readTree(harness.get("/api/ps").body()).path("models").isArray()).isTrue();
    }

    @Test
    void errorsAreOllamaShaped() throws Exception {
        HttpResponse<String> unsupported = harness.post("/api/pull", "{\"model\":\"llama3\"}");
        assertThat(unsupported.statusCode()).isEqualTo(501);
        assertThat(MAPPER.readTree(unsupported.body()).path("error").asText()).contains("not supported");

        HttpResponse<String> bad = harness.post("/api/chat", "{\"model\":\"m\",\"messages\":\"nope\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(bad.body()).path("error").asText()).contains("messages");

        assertThat(harness.post("/api/show", "{\"model\":\"\"}").statusCode()).isEqualTo(400);

        backend.enqueue(Reply.text("partial").thenError("runner died"));
        HttpResponse<String> midStream = harness.post("/api/chat", "{\"model\":\"claude-sonnet\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(parse(midStream.body().lines().toList().getLast()).path("error").asText()).contains("runner died");
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
