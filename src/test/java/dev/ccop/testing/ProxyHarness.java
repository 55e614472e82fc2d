package dev.ccop.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import dev.ccop.ProxyApp;
import dev.ccop.config.Config;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ReasoningOutput;
import java.util.List;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A real proxy on a free loopback port in front of a {@link FakeOllama}, and clients for it. */
public final class ProxyHarness implements AutoCloseable {
    /** One state directory (thinking key) for every proxy a test run starts, removed by the JVM's temp cleanup. */
    public static final java.nio.file.Path STATE_DIR = createStateDir();

    public final FakeOllama ollama;
    public final ProxyApp proxy;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public ProxyHarness(FakeOllama ollama, Map<String, String> modelMap, String defaultModel, Duration pingInterval,
            Duration requestTimeout) {
        this(ollama, ollama.url(), modelMap, defaultModel, pingInterval, requestTimeout);
    }

    private ProxyHarness(FakeOllama ollama, URI ollamaUrl, Map<String, String> modelMap, String defaultModel,
            Duration pingInterval, Duration requestTimeout) {
        this(ollama, config(ollamaUrl, modelMap, defaultModel, pingInterval, requestTimeout, null));
    }

    public ProxyHarness(FakeOllama ollama, Config config) {
        this.ollama = ollama;
        this.proxy = ProxyApp.start(config);
    }

    /** The test configuration; {@code contextWindow} null means automatic (trained context, capped at 32768). */
    public static Config config(URI ollamaUrl, Map<String, String> modelMap, String defaultModel, Duration pingInterval,
            Duration requestTimeout, Integer contextWindow) {
        TestConfig config = new TestConfig();
        config.ollamaUrl = ollamaUrl;
        config.modelMap = ModelMap.of(modelMap);
        config.defaultModel = defaultModel;
        config.pingInterval = pingInterval;
        config.requestTimeout = requestTimeout;
        config.contextWindow = contextWindow;
        return config.build();
    }

    private static java.nio.file.Path createStateDir() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ccop-test-state");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The same configuration with the Anthropic API as the backend. */
    public static Config withAnthropicProvider(Config c, URI url, String apiKey) {
        TestConfig config = TestConfig.of(c);
        config.provider = Config.Provider.ANTHROPIC;
        config.providerUrl = url;
        config.providerApiKey = apiKey;
        return config.build();
    }

    /** The same configuration with the Claude Code CLI at {@code claude} as an agent backend. */
    public static Config withClaudeAgent(Config c, java.nio.file.Path claude, java.nio.file.Path workdir,
            int maxConcurrent, URI anthropicBaseUrl) {
        TestConfig config = TestConfig.of(c);
        config.provider = Config.Provider.CLAUDE_AGENT;
        config.providerUrl = anthropicBaseUrl;
        config.providerApiKey = null;
        config.claudePath = claude;
        config.agentWorkdir = workdir;
        config.agentMaxTurns = 10;
        config.agentMaxConcurrent = maxConcurrent;
        return config.build();
    }

    /** The same configuration with a client API key required. */
    public static Config withApiKey(Config c, String apiKey) {
        TestConfig config = TestConfig.of(c);
        config.apiKey = apiKey;
        return config.build();
    }

    /** The same configuration with an OpenAI-compatible server as the backend. */
    public static Config withOpenAiProvider(Config c, URI providerUrl, String apiKey) {
        TestConfig config = TestConfig.of(c);
        config.provider = Config.Provider.OPENAI;
        config.providerUrl = providerUrl;
        config.providerApiKey = apiKey;
        return config.build();
    }

    /** The same configuration with OpenAI reasoning settings. */
    public static Config withReasoning(Config c, List<String> thinkModels, ReasoningOutput output) {
        TestConfig config = TestConfig.of(c);
        config.thinkModels = thinkModels;
        config.reasoningOutput = output;
        return config.build();
    }

    /** The usual set-up: qwen2.5-coder:7b installed and the default model. */
    public static ProxyHarness standard() throws IOException {
        FakeOllama ollama = new FakeOllama().model("qwen2.5-coder:7b", "completion", "tools");
        return new ProxyHarness(ollama, Map.of(), "qwen2.5-coder:7b", Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /** A proxy whose Ollama URL points at a port where nothing listens. */
    public static ProxyHarness withOllamaDown() throws IOException {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        FakeOllama unused = new FakeOllama();
        return new ProxyHarness(unused, URI.create("http://127.0.0.1:" + deadPort), Map.of(), "qwen2.5-coder:7b",
                Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + proxy.port();
    }

    public AnthropicClient anthropic() {
        return AnthropicOkHttpClient.builder().baseUrl(baseUrl()).apiKey("sk-test").maxRetries(0).build();
    }

    public HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        proxy.stop();
        ollama.close();
    }
}
