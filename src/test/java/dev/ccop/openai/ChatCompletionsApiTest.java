package dev.ccop.openai;

import dev.ccop.core.ReasoningOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the real server's /v1/chat/completions in front of the Ollama test double. */
class ChatCompletionsApiTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeOllama ollama;
    private ProxyHarness harness;
    private OpenAIClient client;

    private void start(List<String> thinkModels, ReasoningOutput output) throws Exception {
        ollama = new FakeOllama().model("qwen2.5-coder:7b", "completion", "tools")
                .model("qwen3:8b", "completion", "tools", "thinking");
        // OpenAI clients name OpenAI models: the user maps the name they use to a local model.
        harness = new ProxyHarness(ollama, ProxyHarness.withReasoning(ProxyHarness.config(ollama.url(),
                Map.of("gpt-4o", "qwen2.5-coder:7b"), "qwen2.5-coder:7b", Duration.ofSeconds(10), Duration.ofSeconds(30),
                null), thinkModels, output));
        client = OpenAIOkHttpClient.builder().baseUrl(harness.baseUrl() + "/v1").apiKey("sk-test").maxRetries(0).build();
    }

    private void start() throws Exception {
        start(List.of(), ReasoningOutput.REASONING_CONTENT);
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
    }

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hi");
    }

    private ChatCompletion streamed(ChatCompletionCreateParams params, List<ChatCompletionChunk> chunks) {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }
        return accumulator.chatCompletion();
    }

    @Test
    void nonStreamingAndStreamingAnswersCarryTheSameTextFinishReasonAndUsage() throws Exception {
        start();
        ollama.enqueue(Reply.text("Hel", "lo!").counts(21, 4)).enqueue(Reply.text("Hel", "lo!").counts(21, 4));

        ChatCompletion whole = client.chat().completions().create(params("gpt-4o").build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion streamed = streamed(params("gpt-4o")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build(), chunks);

        assertThat(whole.model()).as("the model that answered, as OpenAI names the model behind an alias")
                .isEqualTo("qwen2.5-coder:7b");
        assertThat(whole.choices().getFirst().message().content()).contains("Hello!");
        assertThat(whole.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(whole.usage().orElseThrow().totalTokens()).isEqualTo(25);
        assertThat(streamed.choices().getFirst().message().content()).isEqualTo(whole.choices().getFirst().message().content());
        assertThat(streamed.choices().getFirst().finishReason()).isEqualTo(whole.choices().getFirst().finishReason());
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(21);
    }

    @Test
    void noSamplingDefaultsAreInjectedAndTheOptionsSentArePassedOn() throws Exception {
        start();
        client.chat().completions().create(params("gpt-4o").build());
        assertThat(ollama.lastChatRequest().has("options")).isTrue();
        assertThat(ollama.lastChatRequest().path("options").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("num_ctx");

        client.chat().completions().create(params("gpt-4o").maxCompletionTokens(77).temperature(0.3).topP(0.5).seed(42)
                .stop("END").responseFormat(ResponseFormatJsonObject.builder().build()).build());
        JsonNode request = ollama.lastChatRequest();
        assertThat(request.path("options").path("num_predict").asInt()).isEqualTo(77);
        assertThat(request.path("options").path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(request.path("options").path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(request.path("options").path("seed").asInt()).isEqualTo(42);
        assertThat(request.path("options").path("stop").get(0).asText()).isEqualTo("END");
        assertThat(request.path("format").asText()).isEqualTo("json");
    }

    @Test
    void jsonSchemaResponseFormatBecomesOllamasFormat() throws Exception {
        start();
        harness.post("/v1/chat/completions", "{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"age\":{\"type\":\"integer\"}}}}}}");

        assertThat(ollama.lastChatRequest().path("format").path("properties").has("age")).isTrue();
    }

    private static ChatCompletionCreateParams.Builder withTool(String model) {
        return params(model).addFunctionTool(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build());
    }

    @Test
    void toolCallsArriveWholeAndValidStreamedOrNot() throws Exception {
        start();
        Reply reply = Reply.text().toolCall("call_7", "get_weather", "{\"city\":\"Tokyo\"}")
                .toolCall(null, "get_weather", "{\"city\":\"Paris\"}");
        ollama.enqueue(reply).enqueue(reply);

        ChatCompletion whole = client.chat().completions().create(withTool("gpt-4o").build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion streamed = streamed(withTool("gpt-4o").build(), chunks);

        for (ChatCompletion completion : List.of(whole, streamed)) {
            var choice = completion.choices().getFirst();
            assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
            List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
            assertThat(calls).hasSize(2);
            ChatCompletionMessageFunctionToolCall first = calls.get(0).asFunction();
            assertThat(first.id()).isEqualTo("call_7");
            assertThat(MAPPER.readTree(first.function().arguments()).path("city").asText()).isEqualTo("Tokyo");
            assertThat(MAPPER.readTree(calls.get(1).asFunction().function().arguments()).path("city").asText())
                    .isEqualTo("Paris");
        }
        // Each call's arguments came whole in one chunk: no client has to stitch fragments.
        for (ChatCompletionChunk chunk : chunks) {
            for (var choice : chunk.choices()) {
                choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> {
                    String arguments = call.function().orElseThrow().arguments().orElseThrow();
                    assertThat(arguments).startsWith("{").endsWith("}");
                }));
            }
        }
    }

    @Test
    void assistantToolCallsAndToolResultsReachOllamaInItsShape() throws Exception {
        start();
        client.chat().completions().create(withTool("gpt-4o")
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id("call_1")
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name("get_weather").arguments("{\"city\":\"Oslo\",\"unit\":\"C\"}").build())
                                .build())
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("-3 and snowing").build())
                .build());

        JsonNode messages = ollama.lastChatRequest().path("messages");
        assertThat(messages.get(1).path("tool_calls").get(0).path("function").path("arguments").toString())
                .isEqualTo("{\"city\":\"Oslo\",\"unit\":\"C\"}");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(2).path("tool_name").asText()).isEqualTo("get_weather");
        assertThat(messages.get(2).path("content").asText()).isEqualTo("-3 and snowing");
    }

    @Test
    void reasoningEffortBecomesThinkAndReasoningComesBackAsReasoningContent() throws Exception {
        start();
        Reply reply = Reply.text().thinking("Think ").thinking("first.").content("Answer.");
        ollama.enqueue(reply).enqueue(reply);

        ChatCompletion whole = client.chat().completions().create(params("qwen3:8b").reasoningEffort(ReasoningEffort.HIGH).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion streamed = streamed(params("qwen3:8b").reasoningEffort(ReasoningEffort.HIGH).build(), chunks);

        assertThat(ollama.lastChatRequest().path("think").asText()).isEqualTo("high");
        assertThat(whole.choices().getFirst().message().content()).contains("Answer.");
        assertThat(whole.choices().getFirst().message()._additionalProperties().get("reasoning_content").asString())
                .contains("Think first.");
        assertThat(streamed.choices().getFirst().message().content()).contains("Answer.");
        // The SDK's accumulator keeps only the last value of fields it does not know, so read the deltas themselves.
        StringBuilder reasoning = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> {
            JsonValue delta = choice.delta()._additionalProperties().get("reasoning_content");
            if (delta != null) {
                reasoning.append(delta.asString().orElseThrow());
            }
        }));
        assertThat(reasoning.toString()).isEqualTo("Think first.");
    }

    @Test
    void configuredThinkModelsThinkAndReasoningCanBeInlinedAsThinkTags() throws Exception {
        start(List.of("qwen3*"), ReasoningOutput.THINK_TAGS);
        Reply reply = Reply.text().thinking("hmm").content("Done.");
        ollama.enqueue(reply).enqueue(reply);

        ChatCompletion whole = client.chat().completions().create(params("qwen3:8b").build());
        ChatCompletion streamed = streamed(params("qwen3:8b").build(), new ArrayList<>());

        assertThat(ollama.lastChatRequest().path("think").asBoolean()).isTrue();
        assertThat(whole.choices().getFirst().message().content()).contains("<think>hmm</think>\n\nDone.");
        assertThat(streamed.choices().getFirst().message().content()).contains("<think>hmm</think>\n\nDone.");
        assertThat(whole.choices().getFirst().message()._additionalProperties()).doesNotContainKey("reasoning_content");
    }

    @Test
    void reasoningCanBeOmittedEntirely() throws Exception {
        start(List.of(), ReasoningOutput.OMIT);
        ollama.enqueue(Reply.text().thinking("secret").content("Done."));

        HttpResponse<String> response = harness.post("/v1/chat/completions",
                "{\"model\":\"qwen3:8b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

        assertThat(response.body()).doesNotContain("secret").doesNotContain("reasoning").contains("Done.");
        assertThat(response.body().strip()).endsWith("data: [DONE]");
    }

    @Test
    void errorsUseOpenAisShapeAndStatus() throws Exception {
        start();
        assertThatThrownBy(() -> client.chat().completions().create(params("gpt-4o").temperature(3.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");

        HttpResponse<String> malformed = harness.post("/v1/chat/completions", "{\"model\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        JsonNode error = MAPPER.readTree(malformed.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();

        ollama.enqueue(Reply.error(404, "model 'qwen2.5-coder:7b' not found"));
        assertThatThrownBy(() -> client.chat().completions().create(params("gpt-4o").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("ollama pull");
    }

    @Test
    void aMidStreamFailureEndsTheStreamWithAnErrorObjectAndDone() throws Exception {
        start();
        ollama.enqueue(Reply.text("partial").thenError("runner crashed"));

        HttpResponse<String> raw = harness.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(raw.body()).contains("\"error\":{\"message\":\"Ollama failed while generating: runner crashed\"");
        assertThat(raw.body().strip()).endsWith("data: [DONE]");

        ollama.enqueue(Reply.text("partial").thenError("runner crashed"));
        assertThatThrownBy(() -> streamed(params("gpt-4o").build(), new ArrayList<>()))
                .isInstanceOf(OpenAIException.class).hasMessageContaining("runner crashed");
    }

    @Test
    void modelsListAnswersOpenAiAndAnthropicClientsAlike() throws Exception {
        start();
        assertThat(client.models().list().data()).extracting(m -> m.id()).contains("qwen3:8b", "qwen2.5-coder:7b");

        com.anthropic.client.AnthropicClient anthropic = harness.anthropic();
        assertThat(anthropic.models().list().data()).extracting(m -> m.id()).contains("qwen3:8b");
        anthropic.close();
    }
}
