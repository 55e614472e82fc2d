package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Json;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.ProxyHarness;
import dev.ccop.testing.TestConfig;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Web pages cannot use the proxy: the requests a browser sends for a page at another origin, a DNS-rebinding page's
 * Host, and the body types a page may post without a preflight are refused before anything reaches the backend.
 */
class BrowserGuardTest {
    private static final String ANTHROPIC =
            "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String OLLAMA =
            "{\"model\":\"qwen3:8b\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();
    private FakeOllama ollama;
    private ProxyHarness harness;

    private void start(List<String> allowedOrigins, List<String> allowedHosts) throws Exception {
        ollama = new FakeOllama().model("qwen3:8b", "completion");
        TestConfig config = TestConfig.of(ProxyHarness.config(ollama.url(), Map.of(), "qwen3:8b",
                Duration.ofSeconds(5), Duration.ofSeconds(30), null));
        config.allowedOrigins = allowedOrigins;
        config.allowedHosts = allowedHosts;
        harness = new ProxyHarness(ollama, config.build());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(harness.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPageAtAnotherOriginIsRefusedInTheFrontsShapeAndNothingIsForwarded() throws Exception {
        start(List.of(), List.of());
        // What fetch() sends from a page without a preflight: text/plain with the page's origin.
        HttpResponse<String> anthropic = send("POST", "/v1/messages", ANTHROPIC,
                "Content-Type", "text/plain;charset=UTF-8", "Origin", "http://evil.example");
        assertThat(anthropic.statusCode()).isEqualTo(403);
        JsonNode error = Json.MAPPER.readTree(anthropic.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("permission_error");
        assertThat(error.path("error").path("message").asText()).contains("http://evil.example")
                .contains("--allowed-origins");
        assertThat(anthropic.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> ollamaFront = send("POST", "/api/chat", OLLAMA,
                "Content-Type", "application/json", "Origin", "null");
        assertThat(ollamaFront.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(ollamaFront.body()).path("error").asText()).contains("web pages");
        assertThat(send("GET", "/api/tags", null, "Origin", "https://evil.example").statusCode()).isEqualTo(403);

        HttpResponse<String> preflight = send("OPTIONS", "/v1/messages", null, "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-api-key");
        assertThat(preflight.statusCode()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        assertThat(ollama.chatRequests()).isEmpty();
    }

    @Test
    void loopbackPagesAndAllowedOriginsMayCallWithCors() throws Exception {
        start(List.of("https://chat.example.com", "chrome-extension://*"), List.of());
        for (String origin : List.of("http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:5173",
                "https://chat.example.com", "chrome-extension://abcdef")) {
            HttpResponse<String> answer = send("POST", "/api/chat", OLLAMA, "Content-Type", "application/json",
                    "Origin", origin);
            assertThat(answer.statusCode()).as(origin).isEqualTo(200);
            assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(origin);
        }

        HttpResponse<String> preflight = send("OPTIONS", "/v1/chat/completions", null,
                "Origin", "https://chat.example.com", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://chat.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).contains("authorization,content-type");
        assertThat(send("POST", "/api/chat", OLLAMA, "Content-Type", "application/json",
                "Origin", "https://chat.example.com.evil.example").statusCode()).isEqualTo(403);
    }

    @Test
    void aRebindingPagesHostIsRefusedWhileLoopbackNamesAndAllowedHostsPass() throws Exception {
        start(List.of(), List.of("proxy.internal"));
        String refused = raw("GET /api/tags HTTP/1.1\r\nHost: evil.example:" + harness.proxy.port()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(refused).startsWith("HTTP/1.1 403").contains("--allowed-hosts evil.example");
        for (String host : List.of("127.0.0.1", "localhost", "[::1]", "proxy.internal")) {
            String answer = raw("GET /api/tags HTTP/1.1\r\nHost: " + host + ":" + harness.proxy.port()
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(answer).as(host).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void bodiesThatDoNotSayJsonGet415NamingWhatWasSent() throws Exception {
        start(List.of(), List.of());
        HttpResponse<String> form = send("POST", "/v1/chat/completions",
                "{\"model\":\"qwen3:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        JsonNode error = Json.MAPPER.readTree(form.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains("application/x-www-form-urlencoded")
                .contains("application/json");

        HttpResponse<String> none = send("POST", "/v1/messages", ANTHROPIC);
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(none.body()).contains("said nothing");
        assertThat(send("POST", "/v1/messages", ANTHROPIC, "Content-Type", "application/json; charset=utf-8")
                .statusCode()).isEqualTo(200);
        assertThat(ollama.chatRequests()).hasSize(1);
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
