package dev.ccop;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.agent.ClaudeAgentBackend;
import dev.ccop.anthropic.AnthropicBackend;
import dev.ccop.anthropic.AnthropicFront;
import dev.ccop.anthropic.ModelEntries;
import dev.ccop.config.Config;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatService;
import dev.ccop.core.Json;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ModelRouter;
import dev.ccop.core.Passthrough;
import dev.ccop.core.RepairStats;
import dev.ccop.core.TaskRoutes;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.Ticker;
import dev.ccop.core.TokenCounter;
import dev.ccop.observe.ProxyMetrics;
import dev.ccop.ollama.OllamaBackend;
import dev.ccop.ollama.OllamaFront;
import dev.ccop.ollama.OllamaHosts;
import dev.ccop.openai.OpenAiBackend;
import dev.ccop.openai.OpenAiFront;
import dev.ccop.server.ProxyServer;
import dev.ccop.server.StatusPage;
import dev.ccop.session.SessionStore;
import dev.ccop.session.Sessions;
import dev.ccop.upstream.UpstreamHost;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running proxy wired from a {@link Config}: the backend, the model router, the fronts, the server. */
public final class ProxyApp {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyApp.class);

    private final ProxyServer server;
    private final Backend backend;
    private final ModelRouter router;
    private final TokenCounter tokens;
    private final SessionStore store;
    private final Sessions contexts;
    private final Config.Sessions sessions;
    private Ticker.Cancellable retention;

    private ProxyApp(ProxyServer server, Backend backend, ModelRouter router, TokenCounter tokens, SessionStore store,
            Sessions contexts, Config.Sessions sessions) {
        this.contexts = contexts;
        this.server = server;
        this.backend = backend;
        this.router = router;
        this.tokens = tokens;
        this.store = store;
        this.sessions = sessions;
    }

    /** The backend, and the passthrough it offers the Anthropic front (null: requests are translated). */
    private record BackendChoice(Backend backend, Passthrough anthropicPassthrough) {}

    /**
     * Listening, then loading the tokenizer's vocabulary (~0.3 s of CPU on first use) in the background: after the
     * server is up, so that it neither delays serving nor lands on the first request.
     */
    public static ProxyApp start(Config config) {
        ProxyApp app = build(config, config.sessions().enabled());
        app.server.start();
        Thread.startVirtualThread(() -> app.tokens.count("warm up"));
        if (app.store != null) {
            Thread.startVirtualThread(app::enforceRetention);
            app.retention = Ticker.SYSTEM.every(Duration.ofHours(1),
                    () -> Thread.startVirtualThread(app::enforceRetention));
        }
        return app;
    }

    /** Wired but not listening, and storing nothing: for commands that only need the backend and the router. */
    public static ProxyApp create(Config config) {
        return build(config, false);
    }

    private static ProxyApp build(Config config, boolean storeSessions) {
        TokenCounter tokens = new TokenCounter();
        BackendChoice choice = backend(config.upstream(), config.agent(), tokens);
        Backend backend = choice.backend();
        Config.Models models = config.models();
        ModelRouter router = new ModelRouter(models.modelMap(), models.defaultModel(), models.smallModel(), backend,
                patterns(models.fallbackFor()), new TaskRoutes(models.routes()));
        SessionStore store = storeSessions ? SessionStore.open(config.sessions().store()) : null;
        Sessions contexts = new Sessions(tokens, store, System::currentTimeMillis);
        RepairStats repairs = new RepairStats();
        ProxyMetrics metrics = new ProxyMetrics(backend.name(), models.modelMap(), backend, repairs);
        if (backend instanceof OllamaBackend ollama) {
            metrics.hosts(ollama.pool());
        }
        metrics.count("ccop.sessions.recalled_passages", "Passages recalled into requests from earlier in their session",
                contexts, Sessions::recalledPassages);
        ChatService chats = new ChatService(router, backend, tokens, contexts, repairs, metrics);
        ThinkingSigner signer = ThinkingSigner.fromKeyFile(config.stateDir().resolve("thinking-key"));
        Config.Server listen = config.server();
        AnthropicFront anthropic = new AnthropicFront(chats, new ModelEntries(backend, models.modelMap(),
                config.sessions().enabled() ? config.sessions().virtualContext() : 0), choice.anthropicPassthrough(),
                tokens, signer, listen.pingInterval());
        OpenAiFront openai = new OpenAiFront(chats, patterns(models.thinkModels()), models.reasoningOutput(),
                listen.pingInterval());
        OllamaFront ollama = new OllamaFront(chats, backend, listen.pingInterval());
        ProxyServer server = new ProxyServer(listen, List.of(anthropic, openai, ollama), backend,
                new ProxyServer.Watchers(metrics, repairs, new StatusPage(backend, models.modelMap(),
                        models.defaultModel(), store == null ? null : () -> sessionSummary(store)),
                        config.logging().bodies()));
        return new ProxyApp(server, backend, router, tokens, store, contexts, config.sessions());
    }

    /** The page's view of the store: how many sessions, and the ten used last. */
    private static ObjectNode sessionSummary(SessionStore store) {
        List<SessionStore.SessionSummary> all = store.list();
        ObjectNode summary = Json.MAPPER.createObjectNode().put("count", all.size());
        ArrayNode latest = summary.putArray("latest");
        all.stream().sorted(java.util.Comparator.comparingLong(SessionStore.SessionSummary::updatedAt).reversed())
                .limit(10).forEach(s -> latest.addObject().put("id", s.id()).put("requests", s.requests())
                        .put("tokens", s.tokens()).put("updated_at", s.updatedAt()));
        return summary;
    }

    private void enforceRetention() {
        try {
            var deleted = store.enforceLimits(sessions.retention(), sessions.maxChars(), System.currentTimeMillis());
            if (!deleted.isEmpty()) {
                LOG.info("session retention: deleted {} sessions", deleted.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("session retention failed: {}", e.getMessage());
        }
    }

    /** Name patterns ({@code *} wildcards, case-insensitive) as a map whose lookups say whether a name matches. */
    private static ModelMap patterns(List<String> patterns) {
        Map<String, String> map = new LinkedHashMap<>();
        patterns.forEach(pattern -> map.put(pattern, pattern));
        return ModelMap.of(map);
    }

    private static BackendChoice backend(Config.Upstream upstream, Config.Agent agent, TokenCounter tokens) {
        return switch (upstream.provider()) {
            case OLLAMA -> new BackendChoice(new OllamaBackend(
                    new OllamaHosts(upstream.hosts().stream().map(h -> new UpstreamHost(h.url(), h.weight(),
                            h.maxConcurrent())).toList(), upstream.maxLineBytes()),
                    new OllamaBackend.Settings(upstream.requestTimeout(), upstream.imagesWithoutVision(),
                            upstream.contextWindow(), upstream.contextCap(), upstream.keepAlive())), null);
            case OPENAI -> new BackendChoice(new OpenAiBackend(new OpenAiBackend.Settings(upstream.providerUrl(),
                    upstream.providerApiKey(), upstream.requestTimeout(), upstream.contextWindow(),
                    upstream.contextCap(), upstream.maxLineBytes()), tokens), null);
            case ANTHROPIC -> {
                AnthropicBackend anthropic = new AnthropicBackend(new AnthropicBackend.Settings(upstream.providerUrl(),
                        upstream.providerApiKey(), upstream.requestTimeout(), upstream.maxLineBytes()));
                // Anthropic clients talking to the Anthropic API: relayed as they are, so nothing is lost in between.
                yield new BackendChoice(anthropic, anthropic);
            }
            case CLAUDE_AGENT -> {
                Map<String, String> environment = new TreeMap<>(agent.environment());
                if (upstream.providerUrl() != null) {
                    environment.put("ANTHROPIC_BASE_URL", upstream.providerUrl().toString());
                }
                yield new BackendChoice(new ClaudeAgentBackend(new ClaudeAgentBackend.Settings(agent.claude(),
                        agent.workdir(), agent.maxTurns(), agent.maxConcurrent(), upstream.requestTimeout(),
                        environment, upstream.maxLineBytes())), null);
            }
        };
    }

    public int port() {
        return server.port();
    }

    public Backend backend() {
        return backend;
    }

    public ModelRouter router() {
        return router;
    }

    public Sessions sessions() {
        return contexts;
    }

    /** Stops at once (tests, and the launcher once Claude Code has exited). */
    public void stop() {
        server.stop();
        backend.close();
        closeSessions();
    }

    /** Stops as on SIGTERM: answers under way get {@code drain} to finish, the rest end with an error event. */
    public void shutdown(Duration drain) {
        server.stop(drain);
        backend.close();
        closeSessions();
    }

    private void closeSessions() {
        if (retention != null) {
            retention.cancel();
        }
        if (store != null) {
            store.close();
        }
    }
}
