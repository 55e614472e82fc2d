package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.testing.ClaudeCodeCli;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Claude Code CLI ({@code claude -p}) through the proxy, against the Ollama test double. */
class ClaudeCodeEndToEndTest {
    private static Path claude;

    @TempDir
    Path home;

    private FakeOllama ollama;
    private ProxyHarness harness;

    @BeforeAll
    static void install() throws Exception {
        claude = ClaudeCodeCli.install();
    }

    @BeforeEach
    void start() throws Exception {
        ollama = new FakeOllama().model("qwen3:8b", "completion", "tools", "thinking");
        harness = new ProxyHarness(ollama, Map.of(), "qwen3:8b", Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private ClaudeCodeCli.Result claude(String... args) throws Exception {
        Map<String, String> env = new HashMap<>(ClaudeCodeCli.offlineEnvironment(home));
        env.put("ANTHROPIC_BASE_URL", harness.baseUrl());
        env.put("ANTHROPIC_API_KEY", "sk-test");
        env.put("ANTHROPIC_MODEL", "qwen3:8b");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        List<String> command = new java.util.ArrayList<>(List.of(claude.toString()));
        command.addAll(List.of(args));
        return ClaudeCodeCli.run(command, env, home, 120);
    }

    @Test
    void aPlainAnswerIsPrinted() throws Exception {
        ollama.defaultReply(Reply.text("Hello from ", "the local model."));

        ClaudeCodeCli.Result result = claude("-p", "say hi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Hello from the local model.");
    }

    @Test
    void aBashToolRoundTripRunsTheCommandAndPrintsTheFinalAnswer() throws Exception {
        ollama.enqueue(Reply.text().toolCall("call_1", "Bash",
                "{\"command\":\"echo hello-from-proxy\",\"description\":\"Print a greeting\"}"));
        ollama.defaultReply(Reply.text("The command printed hello-from-proxy."));

        ClaudeCodeCli.Result result = claude("-p", "run echo", "--dangerously-skip-permissions");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("The command printed hello-from-proxy.");
        JsonNode toolMessage = ollama.chatRequests().stream()
                .flatMap(r -> java.util.stream.StreamSupport.stream(r.path("messages").spliterator(), false))
                .filter(m -> m.path("role").asText().equals("tool")).findFirst().orElseThrow();
        assertThat(toolMessage.path("content").asText()).contains("hello-from-proxy");
        assertThat(toolMessage.path("tool_name").asText()).isEqualTo("Bash");
        assertThat(toolMessage.path("tool_call_id").asText()).isEqualTo("call_1");
    }

    @Test
    void aThinkingAnswerPrintsTheText() throws Exception {
        ollama.defaultReply(Reply.text().thinking("The user wants a greeting.").content("Hi there!"));

        ClaudeCodeCli.Result result = claude("-p", "say hi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Hi there!");
    }

    @Test
    void aPromptLargerThanTheWindowIsReportedByClaudeCodeAsPromptTooLong() throws Exception {
        harness.close();
        ollama = new FakeOllama().model("qwen3:8b", "completion", "tools");
        harness = new ProxyHarness(ollama, ProxyHarness.config(ollama.url(), Map.of(), "qwen3:8b",
                Duration.ofSeconds(5), Duration.ofSeconds(60), 4096));

        ClaudeCodeCli.Result result = claude("-p", "say hi");

        // Claude Code's own wording for the error it compacts on; a single exchange cannot be compacted, so it stops.
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("Prompt is too long").contains("limit 4096");
        assertThat(ollama.chatRequests()).isEmpty();
    }

    /** The launcher in a JVM of its own, as a user runs it: {@code claude-code-ollama-proxy claude …}. */
    private ClaudeCodeCli.Result launcher(Map<String, String> extraEnv, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(ClaudeCodeCli.offlineEnvironment(home));
        env.putAll(extraEnv);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "claude", "--ollama-url", ollama.url().toString(), "--state-dir",
                home.resolve("state").toString()));
        command.addAll(List.of(args));
        return ClaudeCodeCli.run(command, env, home, 120);
    }

    @Test
    void theLauncherStartsTheProxyRunsClaudeWiredToItAndReturnsItsExitCode() throws Exception {
        ollama.defaultReply(Reply.text("Launched fine."));

        ClaudeCodeCli.Result result = launcher(Map.of("ANTHROPIC_API_KEY", "sk-ant-real-key-must-not-leak"),
                "--model", "qwen3:8b", "--claude-path", claude.toString(), "--", "-p", "say hi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Launched fine.");
        JsonNode request = ollama.lastChatRequest();
        assertThat(request.path("model").asText()).isEqualTo("qwen3:8b");
        // Claude Code was told the local window and a small output budget (CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096).
        assertThat(request.path("options").path("num_ctx").asInt()).isEqualTo(32768);
        assertThat(request.path("options").path("num_predict").asInt()).isEqualTo(4096);
    }

    @Test
    void claudeCodeTakesItsWindowFromTheLauncherVirtualWithSessionsAndTheModelsWithout() throws Exception {
        // --output-format json reports the window Claude Code computes its compaction thresholds from.
        ollama.defaultReply(Reply.text("ok"));

        ClaudeCodeCli.Result withSessions = launcher(Map.of(), "--model", "qwen3:8b", "--claude-path",
                claude.toString(), "--", "-p", "say hi", "--output-format", "json");
        ClaudeCodeCli.Result without = launcher(Map.of(), "--model", "qwen3:8b", "--no-sessions", "--claude-path",
                claude.toString(), "--", "-p", "say hi", "--output-format", "json");

        assertThat(withSessions.exitCode()).as(withSessions.stderr()).isZero();
        assertThat(without.exitCode()).as(without.stderr()).isZero();
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(mapper.readTree(withSessions.stdout()).path("modelUsage").path("qwen3:8b").path("contextWindow")
                .asInt()).isEqualTo(131_072);
        assertThat(mapper.readTree(without.stdout()).path("modelUsage").path("qwen3:8b").path("contextWindow").asInt())
                .isEqualTo(32768);
    }

    @Test
    void theLauncherReadsAProjectsDotEnvOnlyWhenNamed() throws Exception {
        // A project's .env (the launcher runs in project directories) must not configure the proxy unnoticed.
        java.nio.file.Files.writeString(home.resolve(".env"), "CCOP_SESSIONS=off\n");
        ollama.defaultReply(Reply.text("ok"));

        ClaudeCodeCli.Result ignored = launcher(Map.of(), "--model", "qwen3:8b", "--claude-path", claude.toString(),
                "--", "-p", "say hi", "--output-format", "json");
        ClaudeCodeCli.Result named = launcher(Map.of(), "--model", "qwen3:8b", "--env-file", ".env", "--claude-path",
                claude.toString(), "--", "-p", "say hi", "--output-format", "json");

        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(mapper.readTree(ignored.stdout()).path("modelUsage").path("qwen3:8b").path("contextWindow").asInt())
                .as("sessions on: the .env was not read").isEqualTo(131_072);
        assertThat(mapper.readTree(named.stdout()).path("modelUsage").path("qwen3:8b").path("contextWindow").asInt())
                .as("sessions off, from the named .env").isEqualTo(32768);
        assertThat(named.stderr()).contains("read settings from");
    }

    @Test
    void theLauncherGivesClaudeCodeTheApiKeyWhenOneIsRequired() throws Exception {
        ollama.defaultReply(Reply.text("Authorised."));

        ClaudeCodeCli.Result result = launcher(Map.of(), "--model", "qwen3:8b", "--api-key", "s3cret",
                "--claude-path", claude.toString(), "--", "-p", "say hi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Authorised.");
    }

    @Test
    void theLauncherPassesClaudesExitCodeThrough() throws Exception {
        ClaudeCodeCli.Result result = launcher(Map.of(), "--model", "qwen3:8b", "--claude-path", "/bin/false");

        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void withoutClaudeInstalledTheLauncherSaysHowToInstallItAndExits127() throws Exception {
        ClaudeCodeCli.Result result = launcher(Map.of("PATH", home.toString()), "--model", "qwen3:8b");

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.stderr()).contains("npm install -g @anthropic-ai/claude-code");
    }

    @Test
    void anUpstreamErrorIsShownToTheUser() throws Exception {
        ollama.defaultReply(Reply.error(400, "registry.ollama.ai/library/qwen3:8b does not support tools"));

        ClaudeCodeCli.Result result = claude("-p", "say hi");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("cannot use tools");
    }
}
