package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.Fixtures;
import dev.ccop.testing.ProxyHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every request captured from the real Claude Code CLI, sent through the proxy; checks what reaches Ollama. */
class ClaudeCodeReplayTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ProxyHarness harness;

    @BeforeAll
    static void start() throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:0.6b", "completion").model("qwen3:8b", "completion", "tools", "thinking");
        harness = new ProxyHarness(ollama, Map.of(), "qwen3:8b", Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    static List<String> messageRequests() {
        return Fixtures.claudeCodeRequests().stream().filter(n -> !n.startsWith("count-tokens")).toList();
    }

    @ParameterizedTest
    @MethodSource("messageRequests")
    void capturedRequestIsAnsweredAndReachesOllamaInItsShape(String fixture) throws Exception {
        ObjectNode body = (ObjectNode) Fixtures.claudeCode(fixture);

        HttpResponse<String> response = harness.post("/v1/messages?beta=true", MAPPER.writeValueAsString(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (body.path("stream").asBoolean(false)) {
            assertThat(SseEvents.names(response.body())).startsWith("message_start").endsWith("message_stop");
        } else {
            assertThat(MAPPER.readTree(response.body()).path("type").asText()).isEqualTo("message");
        }
        if (fixture.equals("title-request-default-model.json")) {
            // The title request for the main model is answered by the proxy: the conversation keeps its cache.
            String text = SseEvents.names(response.body()).isEmpty() ? "" : response.body();
            assertThat(text).contains("title");
            return;
        }
        JsonNode upstream = harness.ollama.lastChatRequest();
        String expectedModel = body.path("model").asText().equals("qwen3:0.6b") ? "qwen3:0.6b" : "qwen3:8b";
        assertThat(upstream.path("model").asText()).isEqualTo(expectedModel);
        assertThat(upstream.path("options").path("num_predict").asInt()).isEqualTo(body.path("max_tokens").asInt());
        assertThat(upstream.path("tools").size()).isEqualTo((int) Fixtures.callableToolCount(body));
        JsonNode first = upstream.path("messages").get(0);
        assertThat(first.path("role").asText()).isEqualTo("system");
        assertThat(first.path("content").asText()).doesNotContain("x-anthropic-billing-header");
        long systemMessages = 0;
        for (JsonNode m : body.path("messages")) {
            systemMessages += m.path("role").asText().equals("system") ? 1 : 0;
        }
        long upstreamSystem = 0;
        for (JsonNode m : upstream.path("messages")) {
            upstreamSystem += m.path("role").asText().equals("system") ? 1 : 0;
        }
        assertThat(upstreamSystem).isEqualTo(systemMessages + 1);
        for (JsonNode m : upstream.path("messages")) {
            if (m.path("role").asText().equals("tool")) {
                assertThat(m.path("tool_call_id").asText()).startsWith("toolu_");
                assertThat(m.path("tool_name").asText()).isNotEmpty();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.ccop.testing.Fixtures#claudeCodeRequests")
    void capturedRequestIsCounted(String fixture) throws Exception {
        HttpResponse<String> response = harness.post("/v1/messages/count_tokens?beta=true",
                MAPPER.writeValueAsString(Fixtures.claudeCode(fixture)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(response.body()).path("input_tokens").asInt()).isPositive();
    }
}
