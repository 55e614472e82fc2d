package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.FakeOllama;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} says at start, one line each with its fix, what would make the first request fail — and serves on. */
class FirstRunTest {
    @TempDir
    Path state;

    @Test
    void anUnreachableOllamaIsSaidAtStart() throws Exception {
        int dead = freePort();
        List<String> said = serveAndRead("http://127.0.0.1:" + dead, "qwen3:8b", "Cannot reach");
        assertThat(said).anyMatch(l -> l.contains("Cannot reach Ollama at http://127.0.0.1:" + dead)
                && l.contains("ollama serve"));
    }

    @Test
    void anOllamaWithoutModelsIsSaidAtStart() throws Exception {
        try (FakeOllama empty = new FakeOllama()) {
            List<String> said = serveAndRead(empty.url().toString(), null, "has no models");
            assertThat(said).anyMatch(l -> l.contains("has no models") && l.contains("ollama pull"));
        }
    }

    @Test
    void aMissingDefaultModelIsSaidAtStart() throws Exception {
        try (FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools")) {
            List<String> said = serveAndRead(ollama.url().toString(), "qwen2.5-coder:7b", "is not installed");
            assertThat(said).anyMatch(l -> l.contains("'qwen2.5-coder:7b' (--default-model) is not installed")
                    && l.contains("ollama pull qwen2.5-coder:7b"));
        }
    }

    /** Starts {@code serve}, reads its output up to a line containing {@code awaited}, checks it still serves. */
    private List<String> serveAndRead(String ollamaUrl, String defaultModel, String awaited) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--port", Integer.toString(port),
                "--ollama-url", ollamaUrl, "--state-dir", state.toString()));
        if (defaultModel != null) {
            command.addAll(List.of("--default-model", defaultModel));
        }
        Process proxy = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(proxy.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null) {
                lines.add(line);
                if (line.contains(awaited)) {
                    break;
                }
            }
            assertThat(line).as("output so far: " + lines).isNotNull();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            return lines;
        } finally {
            proxy.destroy();
            proxy.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
