package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.Clients;
import dev.ccop.testing.ProxyHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tools, thinking and images through the real server, with the official SDK as the client. */
class ContentFidelityTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private ProxyHarness harness;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        FakeOllama ollama = new FakeOllama()
                .model("llava:7b", "completion", "vision")
                .model("qwen2.5-coder:7b", "completion", "tools")
                .model("qwen3:8b", "completion", "tools", "thinking");
        harness = new ProxyHarness(ollama, Map.of("claude-think", "qwen3:8b", "claude-vision", "llava:7b"),
                "qwen2.5-coder:7b", Duration.ofSeconds(10), Duration.ofSeconds(30));
        client = harness.anthropic();
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
    }

    private static MessageCreateParams.Builder withBashTool(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(512).addUserMessage("List the files")
                .addTool(Tool.builder().name("Bash").description("Run a shell command")
                        .inputSchema(Tool.InputSchema.builder()
                                .properties(JsonValue.from(Map.of("command", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("command")))
                                .build())
                        .build());
    }

    private Message streamed(MessageCreateParams params) {
        return Clients.streamAndAccumulate(client, params);
    }

    /** Both ways must give the same blocks; tool ids the proxy generates differ per answer, so compare without them. */
    private void assertSameAnswer(Message streamed, Message whole) throws Exception {
        assertThat(withoutGeneratedIds(streamed)).isEqualTo(withoutGeneratedIds(whole));
        assertThat(streamed.stopReason()).isEqualTo(whole.stopReason());
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
    }

    private static String withoutGeneratedIds(Message message) throws Exception {
        return MAPPER.writeValueAsString(message.content()).replaceAll("toolu_[A-Za-z0-9]{24}", "toolu_*");
    }

    @Test
    void toolsReachOllamaAsFunctionsAndCallsComeBackAsToolUseStreamedOrNot() throws Exception {
        Reply reply = Reply.text("Listing.").toolCall("call_1", "Bash", "{\"command\":\"ls\"}").counts(50, 9);
        harness.ollama.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(withBashTool("claude-sonnet-4-5").build());
        Message streamed = streamed(withBashTool("claude-sonnet-4-5").build());

        assertSameAnswer(streamed, whole);
        assertThat(whole.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(whole.content().get(1).asToolUse().name()).isEqualTo("Bash");
        assertThat(whole.content().get(1).asToolUse().id()).isEqualTo("call_1");
        JsonNode tools = harness.ollama.lastChatRequest().path("tools");
        assertThat(tools.get(0).path("type").asText()).isEqualTo("function");
        assertThat(tools.get(0).path("function").path("parameters").path("properties").has("command")).isTrue();
    }

    @Test
    void aToolCallWrittenAsTextIsRepairedTheSameWayStreamedOrNot() throws Exception {
        Reply reply = Reply.text("Let me check.\n<tool_", "call>{\"name\": \"Bash\", ", "\"arguments\": {\"command\": \"ls\"}}</tool_call>");
        harness.ollama.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(withBashTool("claude-sonnet-4-5").build());
        Message streamed = streamed(withBashTool("claude-sonnet-4-5").build());

        assertSameAnswer(streamed, whole);
        assertThat(whole.content()).hasSize(2);
        assertThat(whole.content().get(0).asText().text()).isEqualTo("Let me check.\n");
        assertThat(whole.content().get(1).asToolUse()._input().toString()).contains("ls");
        assertThat(whole.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(MAPPER.readTree(harness.get("/health/details").body()).path("tool_call_repairs")
                .path("tool_calls_recovered_from_text").asInt()).isEqualTo(2);
    }

    @Test
    void parallelCallsEachGetTheirOwnBlockStreamedOrNot() throws Exception {
        Reply reply = Reply.text().toolCall(null, "Bash", "{\"command\":\"ls\"}").toolCall(null, "Bash", "{\"command\":\"pwd\"}");
        harness.ollama.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(withBashTool("claude-sonnet-4-5").build());
        Message streamed = streamed(withBashTool("claude-sonnet-4-5").build());

        assertSameAnswer(streamed, whole);
        assertThat(whole.content()).hasSize(2);
        assertThat(whole.content().get(0).asToolUse().id()).isNotEqualTo(whole.content().get(1).asToolUse().id());
    }

    @Test
    void thinkingIsSentOnlyToThinkingModelsAndComesBackSignedStreamedOrNot() throws Exception {
        Reply reply = Reply.text().thinking("The user wants ").thinking("a greeting.").content("Hi!");
        harness.ollama.enqueue(reply).enqueue(reply);
        MessageCreateParams params = MessageCreateParams.builder().model("claude-think").maxTokens(2048)
                .addUserMessage("Say hi").enabledThinking(1024).build();

        Message whole = client.messages().create(params);
        Message streamed = streamed(params);

        assertSameAnswer(streamed, whole);
        assertThat(harness.ollama.lastChatRequest().path("think").asBoolean()).isTrue();
        var thinking = whole.content().getFirst().asThinking();
        assertThat(thinking.thinking()).isEqualTo("The user wants a greeting.");
        ThinkingSigner signer = ThinkingSigner.fromKeyFile(ProxyHarness.STATE_DIR.resolve("thinking-key"));
        assertThat(signer.verify(thinking.thinking(), thinking.signature())).isTrue();

        harness.ollama.enqueue(Reply.text("Hi"));
        client.messages().create(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .addUserMessage("Say hi").enabledThinking(1024).build());
        assertThat(harness.ollama.lastChatRequest().has("think")).isFalse();
    }

    @Test
    void capabilitiesAreReadOncePerModelAndAgainAfterOllamaSaysTheModelIsGone() throws Exception {
        String body = "{\"model\":\"claude-think\",\"max_tokens\":64,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        harness.post("/v1/messages", body);
        harness.post("/v1/messages", body);
        assertThat(harness.ollama.showCalls("qwen3:8b")).isEqualTo(1);

        harness.ollama.enqueue(Reply.error(404, "model 'qwen3:8b' not found"));
        assertThat(harness.post("/v1/messages", body).statusCode()).isEqualTo(404);
        harness.post("/v1/messages", body);
        assertThat(harness.ollama.showCalls("qwen3:8b")).isEqualTo(2);
    }

    @Test
    void thinkingInHistoryGoesBackAsTheAssistantsThinking() throws Exception {
        harness.post("/v1/messages", "{\"model\":\"claude-think\",\"max_tokens\":64,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Greet back.\",\"signature\":\"x\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"abc\"},{\"type\":\"text\",\"text\":\"Hello!\"}]},"
                + "{\"role\":\"user\",\"content\":\"again\"}]}");

        JsonNode assistant = harness.ollama.lastChatRequest().path("messages").get(1);
        assertThat(assistant.path("thinking").asText()).isEqualTo("Greet back.");
        assertThat(assistant.path("content").asText()).isEqualTo("Hello!");
    }

    @Test
    void imagesReachVisionModelsAndBecomeANoticeForOthers() throws Exception {
        String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + TINY_PNG + "\"}}";
        String template = "{\"model\":\"%s\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":[" + image
                + ",{\"type\":\"text\",\"text\":\"What is this?\"}]},{\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\",\"input\":{\"file_path\":\"a.png\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[" + image + "]}]}]}";

        assertThat(harness.post("/v1/messages", template.formatted("claude-vision")).statusCode()).isEqualTo(200);
        JsonNode seen = harness.ollama.lastChatRequest().path("messages");
        assertThat(seen.get(0).path("images").get(0).asText()).isEqualTo(TINY_PNG);
        assertThat(seen.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(seen.get(2).path("images").get(0).asText()).isEqualTo(TINY_PNG);

        assertThat(harness.post("/v1/messages", template.formatted("claude-sonnet-4-5")).statusCode()).isEqualTo(200);
        JsonNode blind = harness.ollama.lastChatRequest().path("messages");
        assertThat(blind.get(0).has("images")).isFalse();
        assertThat(blind.get(0).path("content").asText()).contains("cannot see images").endsWith("What is this?");
        assertThat(blind.get(2).path("content").asText()).contains("cannot see images");
    }

    @Test
    void urlImagesAreRefusedWithoutBeingFetched() throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"claude-vision\",\"max_tokens\":64,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"url\","
                + "\"url\":\"http://127.0.0.1:1/never-fetched.png\"}}]}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
                .contains("'url' images are not supported");
        assertThat(harness.ollama.chatRequests()).isEmpty();
    }

    @Test
    void toolChoiceNoneSendsNoToolsAndAForcedToolNarrowsThemAndAsksForTheCall() throws Exception {
        String tools = "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}},"
                + "{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}]";
        harness.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":64," + tools
                + ",\"tool_choice\":{\"type\":\"none\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(harness.ollama.lastChatRequest().has("tools")).isFalse();

        harness.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":64," + tools
                + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"Read\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        JsonNode forced = harness.ollama.lastChatRequest();
        assertThat(forced.path("tools")).hasSize(1);
        assertThat(forced.path("tools").get(0).path("function").path("name").asText()).isEqualTo("Read");
        assertThat(forced.path("messages").get(0).path("content").asText()).contains("calling the tool `Read`");
    }

    @Test
    void aModelWithoutToolSupportGetsTheToolsInWordsAndItsTextCallsComeBackAsToolUse() throws Exception {
        harness.ollama.model("gemma3:4b", "completion", "vision");
        harness.ollama.enqueue(Reply.text("<tool_call>\n{\"name\": \"Bash\", \"arguments\": {\"command\": \"pwd\"}}\n</tool_call>"));

        Message first = client.messages().create(withBashTool("gemma3:4b").build());

        JsonNode sent = harness.ollama.lastChatRequest();
        assertThat(sent.has("tools")).isFalse();
        assertThat(sent.path("messages").get(0).path("content").asText())
                .contains("<tool_call>").contains("\"name\":\"Bash\"").contains("Run a shell command");
        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        var use = first.content().getFirst().asToolUse();
        assertThat(use.name()).isEqualTo("Bash");

        harness.post("/v1/messages", "{\"model\":\"gemma3:4b\",\"max_tokens\":64,"
                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":["
                + "{\"role\":\"user\",\"content\":\"where am I\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Bash\","
                + "\"input\":{\"command\":\"pwd\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"/home/u\"}]}]}");
        JsonNode history = harness.ollama.lastChatRequest().path("messages");
        assertThat(history.get(2).path("role").asText()).isEqualTo("assistant");
        assertThat(history.get(2).path("content").asText()).contains("<tool_call>").contains("pwd");
        assertThat(history.get(2).has("tool_calls")).isFalse();
        assertThat(history.get(3).path("role").asText()).isEqualTo("user");
        assertThat(history.get(3).path("content").asText()).isEqualTo("<tool_response name=\"Bash\">\n/home/u\n</tool_response>");
    }

    @Test
    void deferredToolsAreOfferedOnlyOnceAToolReferenceLoadedThem() throws Exception {
        harness.post("/v1/messages", MAPPER.writeValueAsString(dev.ccop.testing.Fixtures.claudeCode("toolsearch-followup.json")));

        List<String> offered = harness.ollama.lastChatRequest().path("tools").findValuesAsText("name");
        assertThat(offered).contains("WebFetch", "ToolSearch").doesNotContain("DeferredToolPlaceholder");
    }
}
