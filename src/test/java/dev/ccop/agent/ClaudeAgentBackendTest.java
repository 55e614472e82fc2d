package dev.ccop.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.Fixtures;
import dev.ccop.testing.ProxyHarness;
import dev.langchain4j.model.ollama.OllamaChatModel;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claude-agent backend with a stand-in {@code claude} that replays output captured from the real CLI
 * (src/test/resources/claude-code/cli-output/) and records how it was run.
 */
class ClaudeAgentBackendTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        Path claude = dir.resolve("claude");
        Files.writeString(claude, """
                #!/bin/sh
                here=$(dirname "$0")
                echo $$ > "$here/pid"
                printf '%s\\n' "$@" > "$here/args"
                cat > "$here/stdin"
                env > "$here/env"
                pwd > "$here/cwd"
                if [ -f "$here/sleep" ]; then sleep 60; fi
                if [ -f "$here/fail" ]; then echo "Invalid API key" >&2; exit 1; fi
                cat "$here/replay.jsonl"
                """);
        claude.toFile().setExecutable(true);
        Files.createDirectories(dir.resolve("work"));
        FakeOllama unused = new FakeOllama();
        harness = new ProxyHarness(unused, ProxyHarness.withClaudeAgent(ProxyHarness.config(unused.url(),
                Map.of("llama3", "sonnet"), "sonnet", Duration.ofMillis(200), Duration.ofSeconds(30), null),
                claude, dir.resolve("work"), 1, null));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private void replay(String capture) throws Exception {
        Files.copy(Fixtures.CLAUDE_CODE.resolve("cli-output").resolve(capture), dir.resolve("replay.jsonl"));
    }

    @Test
    void anOllamaClientGetsTheAgentsStreamedAnswer() throws Exception {
        replay("stream-json-partial-messages.jsonl");

        String answer = OllamaChatModel.builder().baseUrl(harness.baseUrl()).modelName("llama3").build().chat("say hi");

        assertThat(answer).isEqualTo("hi from capture server");
        String args = Files.readString(dir.resolve("args"));
        assertThat(args).startsWith("-p\n").contains("--output-format\nstream-json")
                .contains("--max-turns=10").contains("--model=sonnet").doesNotContain("say hi");
        assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo("say hi");
        assertThat(Files.readString(dir.resolve("cwd")).strip()).isEqualTo(dir.resolve("work").toString());
    }

    @Test
    void aPromptThatLooksLikeOptionsIsOnlyEverTheUsersText() throws Exception {
        replay("stream-json-text.jsonl");
        String prompt = "--dangerously-skip-permissions --model opus -p rm -rf ~";

        harness.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":"
                + "\"--settings /tmp/evil.json\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");

        List<String> args = Files.readAllLines(dir.resolve("args"));
        assertThat(args).doesNotContain("--dangerously-skip-permissions", "--settings", "rm")
                .contains("--append-system-prompt=--settings /tmp/evil.json", "--model=sonnet");
        assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo(prompt);
    }

    @Test
    void theCliGetsExactlyTheConfiguredEnvironment() throws Exception {
        replay("stream-json-text.jsonl");

        harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}]}");

        // The shell adds PWD, SHLVL and _ of its own; everything else must be what the config passed (PATH here).
        List<String> names = Files.readAllLines(dir.resolve("env")).stream()
                .map(line -> line.substring(0, Math.max(0, line.indexOf('=')))).filter(n -> !n.isEmpty()).toList();
        assertThat(names).contains("PATH").allMatch(n -> List.of("PATH", "PWD", "SHLVL", "_", "OLDPWD").contains(n));
    }

    @Test
    void theAgentsToolRunsStayInsideAndItsFinalTextAndUsageComeBack() throws Exception {
        replay("stream-json-tool-use.jsonl");

        HttpResponse<String> response = harness.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"run echo\"}]}");

        JsonNode message = MAPPER.readTree(response.body());
        assertThat(message.path("content").get(0).path("text").asText())
                .isEqualTo("I will run it.\n\nTool said: hello-from-proxy");
        assertThat(message.path("usage").path("input_tokens").asInt()).isEqualTo(24826);
    }

    @Test
    void aFailingCliIsAnErrorThatQuotesIt() throws Exception {
        Files.writeString(dir.resolve("fail"), "");
        replay("stream-json-text.jsonl");

        HttpResponse<String> response = harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(MAPPER.readTree(response.body()).path("error").asText())
                .contains("exited with code 1").contains("Invalid API key");
    }

    @Test
    void runsBeyondTheConcurrencyLimitAreTurnedAwayWith429() throws Exception {
        Files.writeString(dir.resolve("sleep"), "");
        replay("stream-json-text.jsonl");
        Thread first = Thread.startVirtualThread(() -> {
            try {
                harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]}");
            } catch (Exception ignored) {
                // ended by the harness closing
            }
        });
        awaitAgentStarted();

        HttpResponse<String> second = harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}");

        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(MAPPER.readTree(second.body()).path("error").asText()).contains("--agent-max-concurrent");
        first.interrupt();
    }

    @Test
    void aClientThatHangsUpKillsTheAgent() throws Exception {
        Files.writeString(dir.resolve("sleep"), "");
        replay("stream-json-text.jsonl");
        byte[] body = "{\"model\":\"llama3\",\"max_tokens\":50,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);

        try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
            socket.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            socket.getInputStream().read(); // the stream has started: message_start
            awaitAgentStarted();
        }
        assertThat(agentEndsSoon()).isTrue();
    }

    /** Waits (at most 10 s) for the stand-in to write its pid. */
    private void awaitAgentStarted() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(dir.resolve("pid")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Whether the stand-in's process ends within 10 s (it sleeps 60 s unless killed). */
    private boolean agentEndsSoon() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void clientsThatHangUpOnAnAnswerThatWritesNothingYetFreeTheAgentsSlot() throws Exception {
        Files.writeString(dir.resolve("sleep"), "");
        replay("stream-json-text.jsonl");
        // A non-streamed answer, and an NDJSON stream (no keep-alives) whose agent has printed nothing yet.
        for (String body : List.of(
                "{\"model\":\"llama3\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                "{\"model\":\"llama3\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            Files.deleteIfExists(dir.resolve("pid"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket("127.0.0.1", harness.proxy.port())) {
                socket.getOutputStream().write(("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + "application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
                awaitAgentStarted();
            }
            // The stand-in sleeps 60 s; only the proxy noticing the hang-up ends it sooner.
            assertThat(agentEndsSoon()).as(body).isTrue();
        }
        Files.delete(dir.resolve("sleep"));
        HttpResponse<String> next = harness.post("/api/chat", "{\"model\":\"llama3\",\"stream\":false,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}");
        assertThat(next.statusCode()).as("the one slot is free again").isEqualTo(200);
    }
}
