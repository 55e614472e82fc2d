package dev.ccop.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Json;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.ProxyHarness;
import dev.ccop.testing.TestConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions through the fronts: which requests are stored, and what is reported back. */
class SessionsApiTest {
    private static final String SESSION = "ade5b343-4669-43e9-ae05-cb4e3bd3e237";

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();
    private ProxyHarness harness;

    private void start(boolean sessions) throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools");
        TestConfig config = TestConfig.of(ProxyHarness.config(ollama.url(), Map.of(), "qwen3:8b",
                Duration.ofSeconds(5), Duration.ofSeconds(30), null));
        config.stateDir = state;
        config.sessions = sessions;
        harness = new ProxyHarness(ollama, config.build());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(harness.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String anthropic(boolean stream, String contextManagement) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":" + stream + ",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"hello there\"}]" + contextManagement + "}";
    }

    @Test
    void sessionsNamedByHeaderMetadataOrOpenAiUserAreStoredAndOthersAreNot() throws Exception {
        start(true);
        post("/v1/messages", anthropic(false, ""), "X-Claude-Code-Session-Id", SESSION);
        post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"metadata\":{\"user_id\":"
                + "\"{\\\"device_id\\\":\\\"d\\\",\\\"session_id\\\":\\\"from-metadata\\\"}\"},\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"another\"}]}");
        post("/v1/chat/completions", "{\"model\":\"qwen3:8b\",\"user\":\"openai-user-7\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");
        post("/v1/messages", anthropic(false, "")); // no session: stateless

        try (SessionStore store = SessionStore.open(state.resolve("sessions.db"))) {
            assertThat(store.list()).extracting(SessionStore.SessionSummary::id)
                    .containsExactlyInAnyOrder(SESSION, "from-metadata", "openai-user-7");
            assertThat(store.blocks(SESSION)).extracting(SessionStore.StoredBlock::text).contains("hello there");
        }
    }

    @Test
    void withSessionsOffNothingIsStored() throws Exception {
        start(false);
        assertThat(post("/v1/messages", anthropic(false, ""), "X-Claude-Code-Session-Id", SESSION).statusCode())
                .isEqualTo(200);
        assertThat(Files.exists(state.resolve("sessions.db"))).isFalse();
    }

    @Test
    void contextManagementIsReportedAsAnthropicDoesStreamedAndNot() throws Exception {
        start(true);
        String edits = ",\"context_management\":{\"edits\":[{\"type\":\"clear_thinking_20251015\",\"keep\":\"all\"},"
                + "{\"type\":\"clear_tool_uses_20250919\",\"trigger\":{\"type\":\"input_tokens\",\"value\":50000}}]}";

        JsonNode whole = Json.MAPPER.readTree(post("/v1/messages", anthropic(false, edits)).body());
        assertThat(Json.write(whole.path("context_management"))).isEqualTo("{\"applied_edits\":[{\"type\":"
                + "\"clear_tool_uses_20250919\",\"cleared_tool_uses\":0,\"cleared_input_tokens\":0}]}");

        String streamed = post("/v1/messages", anthropic(true, edits)).body();
        String delta = streamed.lines().filter(l -> l.contains("\"message_delta\"")).findFirst().orElseThrow();
        assertThat(delta).contains("\"context_management\":{\"applied_edits\":[");

        HttpResponse<String> bad = post("/v1/messages", anthropic(false,
                ",\"context_management\":{\"edits\":[{\"type\":\"clear_everything\"}]}"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("context_management.edits[0].type").contains("clear_everything");
    }
}
