package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.ProxyHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** --api-key on every front: missing, wrong and right keys, answered in each caller's dialect. */
class ApiKeyTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ANTHROPIC =
            "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String OPENAI = "{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String OLLAMA =
            "{\"model\":\"qwen3:8b\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion");
        harness = new ProxyHarness(ollama, ProxyHarness.withApiKey(ProxyHarness.config(ollama.url(), Map.of(), "qwen3:8b",
                Duration.ofSeconds(5), Duration.ofSeconds(30), null), "s3cret"));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(harness.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void missingAndWrongKeysAre401sInEachDialect() throws Exception {
        HttpResponse<String> anthropic = post("/v1/messages", ANTHROPIC);
        assertThat(anthropic.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(anthropic.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
        JsonNode openai = MAPPER.readTree(post("/v1/chat/completions", OPENAI, "Authorization", "Bearer wrong").body());
        assertThat(openai.path("error").path("type").asText()).isEqualTo("authentication_error");
        HttpResponse<String> ollama = post("/api/chat", OLLAMA, "x-api-key", "nope");
        assertThat(ollama.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(ollama.body()).path("error").asText()).isEqualTo("Invalid API key");
    }

    @Test
    void theRightKeyInEitherHeaderIsAcceptedAndHealthNeedsNone() throws Exception {
        assertThat(post("/v1/messages", ANTHROPIC, "x-api-key", "s3cret").statusCode()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", OPENAI, "Authorization", "Bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(post("/api/chat", OLLAMA, "Authorization", "bearer s3cret").statusCode()).isEqualTo(200);
        assertThat(harness.get("/health").statusCode()).isEqualTo(200);
        assertThat(harness.get("/health").body()).doesNotContain("http").doesNotContain("127.0.0.1");
        assertThat(harness.get("/health/details").statusCode()).as("the details need the key").isEqualTo(401);
        assertThat(harness.get("/api/tags").statusCode()).isEqualTo(401);
    }
}
