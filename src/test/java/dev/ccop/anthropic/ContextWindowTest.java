package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.ProxyApp;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** num_ctx, keep_alive, prompt-too-long and background requests, as Claude Code meets them. */
class ContextWindowTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeOllama ollama;
    private ProxyApp proxy;

    private void start(Integer contextWindow, Map<String, String> map, String... models) throws Exception {
        ollama = new FakeOllama();
        for (String model : models) {
            ollama.model(model, "completion", "tools");
        }
        proxy = ProxyApp.start(dev.ccop.testing.ProxyHarness.config(ollama.url(), map, models[0], Duration.ofSeconds(5),
                Duration.ofSeconds(30), contextWindow));
    }

    @AfterEach
    void stop() {
        proxy.stop();
        ollama.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String small(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    @Test
    void everyRequestCarriesTheSameNumCtxAndTheKeepAlive() throws Exception {
        start(null, Map.of(), "qwen3:8b");

        post(small("claude-sonnet-4-5"));
        post(small("claude-opus-4-1"));

        for (JsonNode request : ollama.chatRequests()) {
            // The fake's model_info says qwen2.context_length 32768; the default cap is 32768.
            assertThat(request.path("options").path("num_ctx").asInt()).isEqualTo(32768);
            assertThat(request.path("keep_alive").asText()).isEqualTo("30m");
        }
        assertThat(ollama.showCalls("qwen3:8b")).isEqualTo(1);
    }

    @Test
    void aPromptLargerThanTheWindowIsRefusedInTheWordsClaudeCodeCompactsOn() throws Exception {
        start(8192, Map.of(), "qwen3:8b");

        HttpResponse<String> response = post(MAPPER.writeValueAsString(Fixtures.claudeCode("tool-result-followup.json")));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).matches("prompt is too long: \\d+ tokens > 8192 maximum");
        assertThat(ollama.chatRequests()).isEmpty();
    }

    @Test
    void backgroundRequestsFallBackToTheMainModelWhenTheSmallOneIsNotInstalled() throws Exception {
        start(null, Map.of("claude-haiku-*", "qwen3:0.6b"), "qwen3:8b");

        assertThat(post(small("claude-haiku-4-5-20251001")).statusCode()).isEqualTo(200);
        assertThat(ollama.lastChatRequest().path("model").asText()).isEqualTo("qwen3:8b");
        assertThat(post(small("claude-sonnet-4-5")).statusCode()).isEqualTo(200);
    }

    @Test
    void twoConsecutiveClaudeCodeTurnsShareThePreviousPromptAsABytePrefixUpstream() throws Exception {
        start(null, Map.of(), "qwen3:8b");
        com.fasterxml.jackson.databind.node.ObjectNode second =
                (com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.claudeCode("tool-result-followup.json");
        com.fasterxml.jackson.databind.node.ObjectNode first = second.deepCopy();
        var messages = (com.fasterxml.jackson.databind.node.ArrayNode) first.get("messages");
        messages.remove(3);
        messages.remove(2);
        ((com.fasterxml.jackson.databind.node.ObjectNode) first.get("system").get(0))
                .put("text", "x-anthropic-billing-header: cc_version=2.1.330.123; cc_entrypoint=sdk-cli;");
        ollama.enqueue(Reply.text("ok")).enqueue(Reply.text("ok"));

        post(MAPPER.writeValueAsString(first));
        post(MAPPER.writeValueAsString(second));

        String turnOne = ollama.rawChatBodies().get(0);
        String turnTwo = ollama.rawChatBodies().get(1);
        String prompt = turnOne.substring(0, turnOne.indexOf(",\"tools\""));
        String promptMessages = prompt.substring(0, prompt.length() - 1); // without the array's closing bracket
        assertThat(promptMessages).contains("\"role\":\"user\"");
        assertThat(turnTwo).startsWith(promptMessages);
    }
}
