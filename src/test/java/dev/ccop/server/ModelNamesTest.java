package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Model;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.ProxyHarness;
import dev.langchain4j.model.ollama.OllamaChatModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which model answers which name, seen by each front's real client: Claude names are answered by the default model,
 * mapped names by their target, names the backend has by themselves, and any other name is a typed not-found error —
 * never a silent answer from another model. Every answer names the model that gave it in a header.
 */
class ModelNamesTest {
    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools").model("llama3.1:8b", "completion");
        harness = new ProxyHarness(ollama, Map.of("gpt-4o", "llama3.1:8b"), "qwen3:8b", Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private String upstreamModelOfLastCall() {
        return harness.ollama.lastChatRequest().path("model").asText();
    }

    @Test
    void anthropicSdk() {
        var client = harness.anthropic();
        MessageCreateParams.Builder params = MessageCreateParams.builder().maxTokens(10).addUserMessage("hi");

        assertThat(client.messages().create(params.model(Model.of("claude-sonnet-4-5")).build()).model().asString())
                .as("Claude Code relies on its own name coming back").isEqualTo("claude-sonnet-4-5");
        assertThat(upstreamModelOfLastCall()).isEqualTo("qwen3:8b");
        client.messages().create(params.model(Model.of("gpt-4o")).build());
        assertThat(upstreamModelOfLastCall()).isEqualTo("llama3.1:8b");
        assertThatThrownBy(() -> client.messages().create(params.model(Model.of("no-such-model:1b")).build()))
                .isInstanceOf(com.anthropic.errors.NotFoundException.class)
                .hasMessageContaining("'no-such-model:1b' is not installed").hasMessageContaining("ollama pull")
                .hasMessageContaining("qwen3:8b");
    }

    @Test
    void openAiSdk() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(harness.baseUrl() + "/v1").apiKey("sk-test")
                .maxRetries(0).build();
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().addUserMessage("hi");

        ChatCompletion claude = client.chat().completions().create(params.model("claude-opus-4-1").build());
        assertThat(claude.model()).as("the model that answered").isEqualTo("qwen3:8b");
        ChatCompletion mapped = client.chat().completions().create(params.model("gpt-4o").build());
        assertThat(mapped.model()).isEqualTo("llama3.1:8b");
        assertThatThrownBy(() -> client.chat().completions().create(params.model("no-such-model:1b").build()))
                .isInstanceOf(com.openai.errors.NotFoundException.class)
                .hasMessageContaining("'no-such-model:1b' is not installed");
    }

    @Test
    void ollamaClient() {
        OllamaChatModel installed = OllamaChatModel.builder().baseUrl(harness.baseUrl()).modelName("llama3.1:8b")
                .timeout(Duration.ofSeconds(30)).build();
        assertThat(installed.chat("hi")).isNotEmpty();
        assertThat(upstreamModelOfLastCall()).isEqualTo("llama3.1:8b");
        OllamaChatModel unknown = OllamaChatModel.builder().baseUrl(harness.baseUrl()).modelName("no-such-model:1b")
                .timeout(Duration.ofSeconds(30)).maxRetries(0).build();
        assertThatThrownBy(() -> unknown.chat("hi")).hasMessageContaining("not installed");
    }

    @Test
    void everyFrontNamesTheModelThatAnsweredInAHeader() throws Exception {
        HttpResponse<String> anthropic = harness.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":5,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        HttpResponse<String> openai = harness.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
        HttpResponse<String> ollama = harness.post("/api/chat", "{\"model\":\"claude-sonnet-4-5\",\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(anthropic.headers().firstValue(Answers.UPSTREAM_MODEL)).contains("qwen3:8b");
        assertThat(openai.headers().firstValue(Answers.UPSTREAM_MODEL)).contains("llama3.1:8b");
        assertThat(ollama.headers().firstValue(Answers.UPSTREAM_MODEL)).contains("qwen3:8b");
        assertThat(ollama.body()).contains("\"model\":\"qwen3:8b\"");
    }
}
