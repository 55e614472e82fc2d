package dev.ccop.testing;

import dev.ccop.config.Config;
import dev.ccop.core.ImagePolicy;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.TaskRoutes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
    /** What a run of the claude CLI gets; the config loader's scrubbing is tested on its own. */
    public Map<String, String> agentEnvironment = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    public ModelMap modelMap = ModelMap.of(Map.of());
    public String defaultModel;
    public String smallModel;
    public Integer contextWindow;
    public int contextCap = 32768;
    public String keepAlive = "30m";
    public List<String> fallbackFor = List.of();
    public List<String> thinkModels = List.of();
    public ReasoningOutput reasoningOutput = ReasoningOutput.REASONING_CONTENT;
    public List<TaskRoutes.Rule> routes = List.of();
    public String logLevel = "info";
    public boolean logJson;
    public boolean logBodies;
    public Duration requestTimeout = Duration.ofSeconds(30);
    public Duration pingInterval = Duration.ofSeconds(10);
    public ImagePolicy imagesWithoutVision = ImagePolicy.NOTICE;
    public int maxLineBytes = 16 * 1024 * 1024;
    public List<Config.Host> ollamaHosts = List.of();
    public Path stateDir = ProxyHarness.STATE_DIR;
    public boolean sessions = true;
    public String sessionStore;
    public int virtualContext = 131_072;
    public long maxRequestBytes = 1_000_000;
    public List<String> allowedOrigins = List.of();
    public List<String> allowedHosts = List.of();
    public Duration drain = Duration.ofSeconds(10);

    public static TestConfig of(Config c) {
        TestConfig t = new TestConfig();
        t.host = c.server().host();
        t.port = c.server().port();
        t.apiKey = c.server().apiKey();
        t.maxRequestBytes = c.server().maxRequestBytes();
        t.pingInterval = c.server().pingInterval();
        t.allowedOrigins = c.server().allowedOrigins();
        t.allowedHosts = c.server().allowedHosts();
        t.drain = c.server().drain();
        t.provider = c.upstream().provider();
        t.ollamaUrl = c.upstream().ollamaUrl();
        t.providerUrl = c.upstream().providerUrl();
        t.providerApiKey = c.upstream().providerApiKey();
        t.requestTimeout = c.upstream().requestTimeout();
        t.contextWindow = c.upstream().contextWindow();
        t.contextCap = c.upstream().contextCap();
        t.keepAlive = c.upstream().keepAlive();
        t.imagesWithoutVision = c.upstream().imagesWithoutVision();
        t.maxLineBytes = c.upstream().maxLineBytes();
        t.ollamaHosts = c.upstream().ollamaHosts();
        t.modelMap = c.models().modelMap();
        t.defaultModel = c.models().defaultModel();
        t.smallModel = c.models().smallModel();
        t.fallbackFor = c.models().fallbackFor();
        t.thinkModels = c.models().thinkModels();
        t.reasoningOutput = c.models().reasoningOutput();
        t.routes = c.models().routes();
        t.claudePath = c.agent().claude();
        t.agentWorkdir = c.agent().workdir();
        t.agentMaxTurns = c.agent().maxTurns();
        t.agentMaxConcurrent = c.agent().maxConcurrent();
        t.agentEnvironment = c.agent().environment();
        t.stateDir = c.stateDir();
        t.sessions = c.sessions().enabled();
        // Kept only when it was named: by default the store follows the state directory.
        t.sessionStore = c.sessions().store().equals(c.stateDir().resolve("sessions.db").toString()) ? null
                : c.sessions().store();
        t.virtualContext = c.sessions().virtualContext();
        t.logLevel = c.logging().level();
        t.logJson = c.logging().json();
        t.logBodies = c.logging().bodies();
        return t;
    }

    public Config build() {
        return new Config(
                new Config.Server(host, port, apiKey, maxRequestBytes, pingInterval, allowedOrigins,
                        allowedHosts, drain),
                new Config.Upstream(provider, ollamaUrl, providerUrl, providerApiKey, requestTimeout, contextWindow,
                        contextCap, keepAlive, imagesWithoutVision, maxLineBytes, ollamaHosts),
                new Config.Models(modelMap, defaultModel, smallModel, fallbackFor, thinkModels, reasoningOutput,
                        routes),
                new Config.Agent(claudePath, agentWorkdir, agentMaxTurns, agentMaxConcurrent, agentEnvironment),
                new Config.Sessions(sessions, sessionStore != null ? sessionStore : stateDir.resolve("sessions.db").toString(),
                        Duration.ofDays(30), 1L << 30, virtualContext),
                stateDir, new Config.Logging(logLevel, logJson, logBodies));
    }
}
