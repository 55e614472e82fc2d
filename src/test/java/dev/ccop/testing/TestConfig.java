package dev.ccop.testing;

import dev.ccop.config.Config;
import dev.ccop.core.ImagePolicy;
import dev.ccop.core.ModelMap;
import dev.ccop.openai.ReasoningOutput;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A {@link Config} to change a few settings of: tests set the fields they care about and {@link #build()}. */
public final class TestConfig {
    public String host = "127.0.0.1";
    public int port;
    public String apiKey;
    public URI ollamaUrl;
    public Config.Provider provider = Config.Provider.OLLAMA;
    public URI providerUrl;
    public String providerApiKey;
    public Path claudePath;
    public Path agentWorkdir = Path.of(".");
    public int agentMaxTurns = 10;
    public int agentMaxConcurrent = 2;
    public ModelMap modelMap = ModelMap.of(java.util.Map.of());
    public String defaultModel;
    public String smallModel;
    public Integer contextWindow;
    public int contextCap = 32768;
    public String keepAlive = "30m";
    public List<String> thinkModels = List.of();
    public ReasoningOutput reasoningOutput = ReasoningOutput.REASONING_CONTENT;
    public String logLevel = "info";
    public Duration requestTimeout = Duration.ofSeconds(30);
    public Duration pingInterval = Duration.ofSeconds(10);
    public ImagePolicy imagesWithoutVision = ImagePolicy.NOTICE;
    public Path stateDir = ProxyHarness.STATE_DIR;
    public long maxRequestBytes = 1_000_000;

    public static TestConfig of(Config c) {
        TestConfig t = new TestConfig();
        t.host = c.host();
        t.port = c.port();
        t.apiKey = c.apiKey();
        t.ollamaUrl = c.ollamaUrl();
        t.provider = c.provider();
        t.providerUrl = c.providerUrl();
        t.providerApiKey = c.providerApiKey();
        t.claudePath = c.claudePath();
        t.agentWorkdir = c.agentWorkdir();
        t.agentMaxTurns = c.agentMaxTurns();
        t.agentMaxConcurrent = c.agentMaxConcurrent();
        t.modelMap = c.modelMap();
        t.defaultModel = c.defaultModel();
        t.smallModel = c.smallModel();
        t.contextWindow = c.contextWindow();
        t.contextCap = c.contextCap();
        t.keepAlive = c.keepAlive();
        t.thinkModels = c.thinkModels();
        t.reasoningOutput = c.reasoningOutput();
        t.logLevel = c.logLevel();
        t.requestTimeout = c.requestTimeout();
        t.pingInterval = c.pingInterval();
        t.imagesWithoutVision = c.imagesWithoutVision();
        t.stateDir = c.stateDir();
        t.maxRequestBytes = c.maxRequestBytes();
        return t;
    }

    public Config build() {
        return new Config(host, port, apiKey, ollamaUrl, provider, providerUrl, providerApiKey, claudePath,
                agentWorkdir, agentMaxTurns, agentMaxConcurrent, modelMap, defaultModel, smallModel, contextWindow,
                contextCap, keepAlive, thinkModels, reasoningOutput, logLevel, requestTimeout, pingInterval,
                imagesWithoutVision, stateDir, maxRequestBytes);
    }
}
