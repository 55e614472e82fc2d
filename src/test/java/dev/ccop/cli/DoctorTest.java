package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.config.Config;
import dev.ccop.core.ModelMap;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.TestConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorTest {
    @TempDir
    Path dir;

    private final FakeOllama ollama;
    private final ServerSocket freePortFinder;

    DoctorTest() throws Exception {
        ollama = new FakeOllama();
        freePortFinder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        ollama.close();
        freePortFinder.close();
    }

    private Config config(URI ollamaUrl, int port, Map<String, String> map, String defaultModel, Integer window) {
        TestConfig config = new TestConfig();
        config.port = port;
        config.ollamaUrl = ollamaUrl;
        config.modelMap = ModelMap.of(map);
        config.defaultModel = defaultModel;
        config.contextWindow = window;
        config.logLevel = "error";
        config.pingInterval = Duration.ofSeconds(1);
        config.stateDir = dir;
        return config.build();
    }

    /** A stand-in claude executable that prints a version. */
    private Path fakeClaude() throws Exception {
        Path claude = dir.resolve("claude");
        Files.writeString(claude, "#!/bin/sh\necho '2.1.330 (Claude Code)'\n");
        claude.toFile().setExecutable(true);
        return claude;
    }

    private int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String report(List<Doctor.Check> checks) {
        return String.join("\n", checks.stream().map(Doctor.Check::toString).toList());
    }

    private static Config withClaude(Config config, Path claude) {
        TestConfig changed = TestConfig.of(config);
        changed.claudePath = claude;
        return changed.build();
    }

    @Test
    void aGoodSetUpPassesEveryCheck() throws Exception {
        ollama.model("qwen3:8b", "completion", "tools", "thinking", "vision");
        int port = freePort();

        List<Doctor.Check> checks = new Doctor(withClaude(config(ollama.url(), port, Map.of(), "qwen3:8b", null),
                fakeClaude()), Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port)).run();

        assertThat(checks).as(report(checks)).allMatch(c -> c.status() == Doctor.Status.OK);
        assertThat(report(checks)).contains("ollama 0.33.0").contains("Claude Code 2.1.330")
                .contains("qwen3:8b").contains("num_ctx 32768");
    }

    @Test
    void everyProblemIsNamedWithItsFix() throws Exception {
        ollama.model("gemma3:4b", "completion", "vision");

        List<Doctor.Check> checks = new Doctor(
                config(ollama.url(), freePortFinder.getLocalPort(), Map.of("claude-opus-*", "llama3.3:70b"), "gemma3:4b", 8192),
                Map.of("ANTHROPIC_BASE_URL", "http://127.0.0.1:11435/v1")).run();
        String report = report(checks);

        assertThat(report).contains("Model 'llama3.3:70b' (--model-map claude-opus-*) is not installed. Fix: Run `ollama pull llama3.3:70b`.");
        assertThat(report).contains("cannot use tools");
        assertThat(report).contains("The claude CLI is not installed. Fix: npm install -g @anthropic-ai/claude-code");
        assertThat(report).contains("ends in /v1").contains("Fix: ANTHROPIC_BASE_URL=http://127.0.0.1:11435");
        assertThat(report).contains("is taken by another program");
    }

    @Test
    void aSmallWindowIsAFailureAndUnreachableOllamaIsExplained() throws Exception {
        ollama.model("qwen3:8b", "completion", "tools");
        List<Doctor.Check> small = new Doctor(withClaude(config(ollama.url(), freePort(), Map.of(), null, 8192),
                fakeClaude()), Map.of()).run();
        assertThat(report(small)).contains("does not fit").contains("--context-window 32768");

        List<Doctor.Check> down = new Doctor(withClaude(config(URI.create("http://127.0.0.1:" + freePort()),
                freePort(), Map.of(), null, null), fakeClaude()), Map.of()).run();
        assertThat(report(down)).contains("Cannot reach Ollama at").contains("ollama serve");
    }
}
