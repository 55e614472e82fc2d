package dev.ccop.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics} after real answers: the GenAI series with their labels, the proxy's own, bounded model labels. */
class MetricsTest {
    private ProxyHarness harness;
    private AnthropicClient client;

    @BeforeEach
    void start() throws Exception {
        harness = ProxyHarness.standard();
        client = harness.anthropic();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private MessageCreateParams params(String model) {
        return MessageCreateParams.builder().model(model).maxTokens(100).addUserMessage("hi").build();
    }

    @Test
    void answersShowUpAsTokenUsageDurationsAndRequestCounts() throws Exception {
        harness.ollama.enqueue(Reply.text("Hel", "lo").counts(31, 5));
        client.messages().create(params("claude-sonnet-4-5-20250929"));
        harness.ollama.enqueue(Reply.text("a", "b", "c").counts(12, 3));
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("qwen2.5-coder:7b"))) {
            stream.stream().forEach(event -> { });
        }
        Assertions.assertThatThrownBy(() -> client.messages().create(params("no-such-model")))
                .isInstanceOf(NotFoundException.class);

        String metrics = settledMetrics("ccop_http_requests_total{front=\"anthropic\",status=\"200\"} 2.0");

        // A dated Claude name the map does not list is counted under its family, not as a new series.
        String sonnet = "gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"ollama\","
                + "gen_ai_request_model=\"claude-sonnet\",gen_ai_response_model=\"qwen2.5-coder:7b\"";
        assertThat(value(metrics, "gen_ai_client_token_usage_sum", sonnet + ",gen_ai_token_type=\"input\"")).isEqualTo(31);
        assertThat(value(metrics, "gen_ai_client_token_usage_sum", sonnet + ",gen_ai_token_type=\"output\"")).isEqualTo(5);
        String local = "gen_ai_request_model=\"qwen2.5-coder:7b\"";
        assertThat(value(metrics, "gen_ai_client_token_usage_sum", local + ".*gen_ai_token_type=\"output\"")).isEqualTo(3);
        assertThat(value(metrics, "gen_ai_server_time_to_first_token_seconds_count", local)).isEqualTo(1);
        assertThat(value(metrics, "gen_ai_server_time_per_output_token_seconds_count", local)).isEqualTo(1);
        assertThat(value(metrics, "gen_ai_client_operation_duration_seconds_count", "error_type=\"none\".*" + local))
                .isEqualTo(1);
        assertThat(value(metrics, "ccop_http_requests_total", "front=\"anthropic\",status=\"200\"")).isEqualTo(2);
        assertThat(value(metrics, "ccop_http_requests_total", "front=\"anthropic\",status=\"404\"")).isEqualTo(1);
        assertThat(value(metrics, "ccop_answers_active", "")).isZero();
        assertThat(metrics).contains("ccop_tool_calls_repaired_total{kind=\"recovered_from_text\"}")
                .contains("ccop_sessions_recalled_passages_total").doesNotContain("no-such-model");
    }

    @Test
    void aStreamThatBreaksCountsAsFailedWithItsErrorType() throws Exception {
        harness.ollama.enqueue(Reply.text("a", "b").thenError("model runner crashed"));
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params("qwen2.5-coder:7b"))) {
            stream.stream().forEach(event -> { });
        } catch (RuntimeException expected) {
            // the SDK raises the error event
        }

        String metrics = settledMetrics("ccop_answers_active 0.0");
        assertThat(value(metrics, "ccop_answers_failed_total", "error_type=\"api_error\"")).isEqualTo(1);
        assertThat(value(metrics, "ccop_answers_active", "")).isZero();
    }

    @Test
    void metricsNeedTheKeyWhenOneIsSet() throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion");
        try (ProxyHarness keyed = new ProxyHarness(ollama, ProxyHarness.withApiKey(ProxyHarness.config(ollama.url(),
                Map.of(), "qwen3:8b", Duration.ofSeconds(5), Duration.ofSeconds(30), null), "s3cret"))) {
            HttpClient http = HttpClient.newHttpClient();
            URI url = URI.create(keyed.baseUrl() + "/metrics");
            assertThat(http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
            HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(url).header("x-api-key", "s3cret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).contains("ccop_answers_active")
                    // refused before any handler ran, and still counted: the after-handlers (metrics, request log,
                    // the status page's list of requests under way) run for refused requests too
                    .contains("ccop_http_requests_total{front=\"none\",status=\"401\"} 1.0");
        }
    }

    /**
     * {@code /metrics} once a request's bookkeeping, which runs just after its answer is complete (the client may be
     * reading it already), has counted the last request: waits for {@code sample} and for no answer to be open.
     */
    private String settledMetrics(String sample) throws Exception {
        String metrics = harness.get("/metrics").body();
        for (int i = 0; i < 500 && !(metrics.contains(sample) && metrics.contains("ccop_answers_active 0.0")); i++) {
            Thread.sleep(10);
            metrics = harness.get("/metrics").body();
        }
        return metrics;
    }

    /** The value of the one sample of {@code name} whose labels match {@code labels} (a regular expression). */
    private static double value(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*" + labels + "[^}]*})? ([0-9.eE+-]+)$")
                .matcher(metrics);
        assertThat(m.find()).as(name + " with " + labels + " in:\n" + metrics).isTrue();
        double value = Double.parseDouble(m.group(2));
        assertThat(m.find()).as("more than one " + name + " with " + labels).isFalse();
        return value;
    }
}
