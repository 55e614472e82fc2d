package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.models.ModelCapabilities;
import com.anthropic.models.models.ModelInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.Clients;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK against the real server in front of the Ollama test double. */
class MessagesApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProxyHarness harness;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        harness = ProxyHarness.standard();
        client = harness.anthropic();
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
    }

    private static MessageCreateParams.Builder params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).addUserMessage("Say hi");
    }

    private Message streamAndAccumulate(MessageCreateParams params) {
        return Clients.streamAndAccumulate(client, params);
    }

    @Test
    void nonStreamingAnswerCarriesTextStopReasonUsageAndTheRequestedModelName() {
        harness.ollama.enqueue(Reply.text("Hel", "lo!").counts(31, 5));

        Message message = client.messages().create(params().build());

        assertThat(message.id()).startsWith("msg_");
        assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(message.content()).hasSize(1);
        assertThat(message.content().getFirst().asText().text()).isEqualTo("Hello!");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isEqualTo(31);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
        assertThat(harness.ollama.lastChatRequest().path("model").asText()).isEqualTo("qwen2.5-coder:7b");
    }

    @Test
    void streamingAnswerAccumulatesToTheSameMessageAsTheNonStreamingOne() {
        Reply reply = Reply.text("Hel", "lo ", "there").counts(12, 3);
        harness.ollama.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(params().build());
        Message streamed = streamAndAccumulate(params().build());

        assertThat(streamed.content()).isEqualTo(whole.content());
        assertThat(streamed.stopReason()).isEqualTo(whole.stopReason());
        assertThat(streamed.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
        assertThat(streamed.usage().inputTokens()).isEqualTo(whole.usage().inputTokens());
    }

    @Test
    void thinkingAndToolCallsAccumulateToTheSameMessageStreamedOrNot() {
        Reply reply = Reply.text().thinking("Let me ").thinking("check.").content("Running it.")
                .toolCall("call_ab12cd34", "Bash", "{\"command\":\"ls\",\"description\":\"list\"}")
                .toolCall(null, "Read", "{\"file_path\":\"/tmp/x\"}");
        harness.ollama.enqueue(reply).enqueue(reply);

        Message whole = client.messages().create(params().build());
        Message streamed = streamAndAccumulate(params().build());

        assertThat(whole.content()).extracting(b -> b.isThinking(), b -> b.isText(), b -> b.isToolUse())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(true, false, false),
                        org.assertj.core.groups.Tuple.tuple(false, true, false),
                        org.assertj.core.groups.Tuple.tuple(false, false, true),
                        org.assertj.core.groups.Tuple.tuple(false, false, true));
        assertThat(whole.content().get(2).asToolUse().id()).isEqualTo("call_ab12cd34");
        assertThat(whole.content().get(3).asToolUse().id()).startsWith("toolu_");
        assertThat(whole.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(streamed.content()).hasSize(4);
        assertThat(streamed.content().subList(0, 3)).isEqualTo(whole.content().subList(0, 3));
        ContentBlock generated = streamed.content().get(3);
        assertThat(generated.asToolUse().name()).isEqualTo("Read");
        assertThat(generated.asToolUse()._input()).isEqualTo(whole.content().get(3).asToolUse()._input());
        assertThat(streamed.stopReason()).isEqualTo(whole.stopReason());
    }

    @Test
    void lengthLimitBecomesMaxTokens() {
        harness.ollama.enqueue(Reply.text("cut sh").doneReason("length"));

        assertThat(client.messages().create(params().build()).stopReason()).contains(StopReason.MAX_TOKENS);
    }

    @Test
    void modelMissingInOllamaIsA404NamingTheModelAndThePullCommand() {
        harness.ollama.enqueue(Reply.error(404, "model 'qwen2.5-coder:7b' not found"));

        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("Ollama model 'qwen2.5-coder:7b' not found")
                .hasMessageContaining("ollama pull qwen2.5-coder:7b");
    }

    @Test
    void mappedModelThatIsNotInstalledIsA404WithThePullCommand() throws Exception {
        try (ProxyHarness mapped = new ProxyHarness(harness.ollama, java.util.Map.of("claude-opus-*", "llama3.3:70b"),
                "qwen2.5-coder:7b", java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30))) {
            AnthropicClient sdk = mapped.anthropic();
            assertThatThrownBy(() -> sdk.messages().create(params().model("claude-opus-4-1").build()))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("llama3.3:70b")
                    .hasMessageContaining("ollama pull llama3.3:70b");
        }
    }

    @Test
    void upstreamStatusesKeepTheirStatusAndMapToTheMatchingErrorType() {
        harness.ollama.enqueue(Reply.error(429, "rate limit exceeded"));
        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOf(RateLimitException.class).hasMessageContaining("rate limit exceeded");

        harness.ollama.enqueue(Reply.error(500, "llama runner process has terminated"));
        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.type().map(Object::toString)).contains("api_error");
                });

        harness.ollama.enqueue(Reply.error(503, "server busy, please try again.  maximum pending requests exceeded"));
        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.type().map(Object::toString)).contains("overloaded_error");
                });
    }

    @Test
    void upstreamErrorThatIsNotJsonIsReportedVerbatimNotAsAParseFailure() {
        harness.ollama.enqueue(Reply.rawError(502, "<html><body>Bad Gateway</body></html>"));

        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502))
                .hasMessageContaining("Bad Gateway");
    }

    @Test
    void midStreamUpstreamErrorEndsTheStreamWithAnErrorEvent() {
        harness.ollama.enqueue(Reply.text("partial ").thenError("llama runner process has terminated: signal: killed"));

        assertThatThrownBy(() -> streamAndAccumulate(params().build()))
                .isInstanceOf(SseException.class)
                .hasMessageContaining("llama runner process has terminated");
    }

    @Test
    void midStreamErrorInANonStreamingRequestIsAnHttpError() {
        harness.ollama.enqueue(Reply.text("partial ").thenError("out of memory"));

        assertThatThrownBy(() -> client.messages().create(params().build()))
                .isInstanceOfSatisfying(AnthropicServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500))
                .hasMessageContaining("out of memory");
    }

    @Test
    void cutUpstreamConnectionEndsTheStreamWithAnErrorEvent() throws Exception {
        harness.ollama.enqueue(Reply.text("partial ").thenCut());

        HttpResponse<String> response = harness.post("/v1/messages", streamingBody("claude-sonnet-4-5"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = SseEvents.names(response.body());
        assertThat(events).startsWith("message_start").endsWith("error");
        assertThat(events).doesNotContain("message_stop");
        assertThat(SseEvents.data(response.body(), "error").path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void ollamaDownIsA5xxNamingTheUrlAndHowToStartIt() throws Exception {
        try (ProxyHarness down = ProxyHarness.withOllamaDown()) {
            AnthropicClient sdk = down.anthropic();
            assertThatThrownBy(() -> sdk.messages().create(params().build()))
                    .isInstanceOfSatisfying(AnthropicServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(502);
                        assertThat(e.type().map(Object::toString)).contains("api_error");
                    })
                    .hasMessageContaining("Cannot reach Ollama at http://127.0.0.1:")
                    .hasMessageContaining("ollama serve");
        }
    }

    @Test
    void malformedJsonIsA400InTheAnthropicEnvelopeWithTheRequestId() throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\": \"x\", ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asText()).contains("not valid JSON");
        assertThat(body.path("request_id").asText()).startsWith("req_")
                .isEqualTo(response.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void anUpstreamLineLongerThanTheLimitEndsTheAnswerWithAnErrorThatNamesIt() throws Exception {
        dev.ccop.testing.TestConfig config = dev.ccop.testing.TestConfig.of(dev.ccop.testing.ProxyHarness.config(
                harness.ollama.url(), java.util.Map.of(), "qwen2.5-coder:7b", java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30), null));
        config.maxLineBytes = 4096;
        try (ProxyHarness limited = new ProxyHarness(harness.ollama, config.build())) {
            harness.ollama.enqueue(Reply.text("x".repeat(10_000)));
            HttpResponse<String> response = limited.post("/v1/messages", streamingBody("claude-sonnet-4-5"));

            assertThat(response.body()).contains("event: error").contains("longer than 4096 bytes");
        }
    }

    @Test
    void jsonNestedTenThousandDeepIsA400ThatSaysSoAndNoTreeIsBuilt() throws Exception {
        String deep = "{\"model\":\"x\",\"max_tokens\":5,\"messages\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        HttpResponse<String> response = harness.post("/v1/messages", deep);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asText()).contains("too deeply nested")
                .doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void aToolWhoseSchemaIsNotAJsonSchemaIsA400NamingTheTool() throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":5,\"tools\":["
                + "{\"name\":\"good\",\"input_schema\":{\"type\":\"object\"}},{\"name\":\"bad\",\"input_schema\":"
                + "{\"type\":[1]}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
                .contains("tools[1] (bad)").contains("not a valid JSON Schema");
    }

    @Test
    void missingAndWronglyTypedFieldsAre400sNamingTheField() throws Exception {
        HttpResponse<String> noMax = harness.post("/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(noMax.statusCode()).isEqualTo(400);
        assertThat(noMax.body()).contains("max_tokens: field required");

        HttpResponse<String> badRole = harness.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":7,\"content\":\"x\"}]}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("messages[1].role: expected a string, got a number");

        HttpResponse<String> hot = harness.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,\"temperature\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(hot.statusCode()).isEqualTo(400);
        assertThat(hot.body()).contains("temperature: must be between 0 and 1");

        assertThatThrownBy(() -> client.messages().create(params().maxTokens(0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("max_tokens");
    }

    @Test
    void unknownTopLevelFieldsAreIgnored() throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,"
                + "\"metadata\":{\"user_id\":\"u\"},\"context_management\":{\"edits\":[]},\"output_config\":{\"x\":1},"
                + "\"brand_new_field\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void betaQueryParameterIsAccepted() throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages?beta=true",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void countTokensUsesTheTokenizer() {
        long count = client.messages().countTokens(MessageCountTokensParams.builder()
                .model("claude-sonnet-4-5").addUserMessage("The quick brown fox jumps over the lazy dog.").build())
                .inputTokens();

        // 10 words and a full stop are 10 o200k tokens, plus the per-message template overhead.
        assertThat(count).isEqualTo(10 + 4);
    }

    @Test
    void modelsListShowsInstalledModelsInAnthropicShape() throws Exception {
        HttpResponse<String> response = harness.get("/v1/models");

        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("data").get(0).path("id").asText()).isEqualTo("qwen2.5-coder:7b");
        assertThat(body.path("data").get(0).path("type").asText()).isEqualTo("model");
        assertThat(body.path("has_more").asBoolean()).isFalse();
        assertThat(body.path("first_id").asText()).isEqualTo("qwen2.5-coder:7b");

        JsonNode one = MAPPER.readTree(harness.get("/v1/models/claude-sonnet-4-5").body());
        assertThat(one.path("display_name").asText()).isEqualTo("claude-sonnet-4-5 → qwen2.5-coder:7b");
    }

    @Test
    void modelEntriesCarryEveryFieldTheSdkRequiresWithTheModelsLimitsAndCapabilities() {
        List<ModelInfo> models = client.models().list().data();

        assertThat(models).extracting(ModelInfo::id).containsExactly("qwen2.5-coder:7b");
        models.forEach(ModelInfo::validate); // throws on a missing or mistyped required field
        ModelInfo mapped = client.models().retrieve("claude-sonnet-4-5").validate();
        assertThat(mapped.maxInputTokens()).contains(131_072L); // sessions are on by default: the virtual window
        assertThat(mapped.maxTokens()).contains(32_768L); // the fake's trained context, under the default cap
        ModelCapabilities capabilities = mapped.capabilities().orElseThrow();
        assertThat(capabilities.contextManagement().clearToolUses20250919().orElseThrow().supported()).isTrue();
        assertThat(capabilities.batch().supported()).isFalse();
        assertThat(capabilities.imageInput().supported()).isFalse(); // the fake model reports no vision
    }

    @Test
    void healthReportsTheUpstreamAndUnknownRoutesAreAnthropicShaped404s() throws Exception {
        JsonNode health = MAPPER.readTree(harness.get("/health/details").body());
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("upstream").path("version").asText()).isEqualTo("0.33.0");

        HttpResponse<String> missing = harness.get("/v1/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(missing.body()).path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(harness.get("/").body()).contains("running");
    }

    @Test
    void bodyOverTheSizeLimitIsA413InTheAnthropicEnvelope() throws Exception {
        String huge = "x".repeat(1_100_000); // the harness allows 1,000,000 bytes
        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + huge + "\"}]}");

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("error").path("type").asText()).isEqualTo("request_too_large");
        assertThat(body.path("error").path("message").asText()).contains("--max-request-bytes");
    }

    @Test
    void upstreamErrorStatusAfterTheStreamStartedIsAnErrorEventOfThatType() throws Exception {
        harness.ollama.enqueue(Reply.error(404, "model 'qwen2.5-coder:7b' not found"));

        HttpResponse<String> response = harness.post("/v1/messages", streamingBody("claude-sonnet-4-5"));

        assertThat(SseEvents.names(response.body())).containsExactly("message_start", "error");
        JsonNode error = SseEvents.data(response.body(), "error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("not_found_error");
        assertThat(error.path("error").path("message").asText()).contains("ollama pull qwen2.5-coder:7b");
    }

    @Test
    void aModelWithoutToolSupportGetsAnErrorThatSaysWhichModelsCan() throws Exception {
        harness.ollama.enqueue(Reply.error(400, "registry.ollama.ai/library/gemma3:latest does not support tools"));

        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":5,"
                + "\"tools\":[{\"name\":\"Bash\",\"input_schema\":{\"type\":\"object\"}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
                .contains("cannot use tools").contains("qwen2.5-coder");
    }

    @Test
    void headOnRootAnswers() throws Exception {
        HttpResponse<Void> head = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(harness.baseUrl() + "/")).method("HEAD",
                        java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(head.statusCode()).isEqualTo(200);
    }

    static String streamingBody(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }
}
