package dev.ccop;

import dev.ccop.agent.ClaudeAgentBackend;
import dev.ccop.agent.ClaudeCli;
import dev.ccop.anthropic.AnthropicBackend;
import dev.ccop.anthropic.AnthropicFront;
import dev.ccop.config.Config;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatService;
import dev.ccop.core.ModelMap;
import dev.ccop.openai.OpenAiBackend;
import dev.ccop.openai.OpenAiFront;
import dev.ccop.core.ModelRouter;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.TokenCounter;
import dev.ccop.ollama.OllamaBackend;
import dev.ccop.ollama.OllamaClient;
import dev.ccop.ollama.OllamaFront;
import dev.ccop.server.ProxyServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A running proxy wired from a {@link Config}: the Ollama backend, the model router, the fronts, the server. */
public final class ProxyApp {
    private final ProxyServer server;
    private final Backend backend;
    private final ModelRouter router;
    private final TokenCounter tokens;

    private ProxyApp(ProxyServer server, Backend backend, ModelRouter router, TokenCounter tokens) {
        this.server = server;
        this.backend = backend;
        this.router = router;
        this.tokens = tokens;
    }

    /**
     * Listening, then loading the tokenizer's vocabulary (~0.3 s of CPU on first use) in the background: after the
     * server is up, so that it neither delays serving nor lands on the first request.
     */
    public static ProxyApp start(Config config) {
        ProxyApp app = create(config);
        app.server.start();
        Thread.startVirtualThread(() -> app.tokens.count("warm up"));
        return app;
    }

    /** Wired but not listening: for commands that only need the backend and the router. */
    public static ProxyApp create(Config config) {
        TokenCounter tokens = new TokenCounter();
        Backend backend = backend(config, tokens);
        ModelRouter router = new ModelRouter(config.modelMap(), config.defaultModel(), config.smallModel(), backend);
        ChatService chats = new ChatService(router, backend, tokens);
        ThinkingSigner signer = ThinkingSigner.fromKeyFile(config.stateDir().resolve("thinking-key"));
        AnthropicFront anthropic = new AnthropicFront(
                chats, config.modelMap(), backend, tokens, signer, config.pingInterval());
        Map<String, String> thinkPatterns = new LinkedHashMap<>();
        config.thinkModels().forEach(pattern -> thinkPatterns.put(pattern, pattern));
        OpenAiFront openai = new OpenAiFront(chats, ModelMap.of(thinkPatterns), config.reasoningOutput(),
                config.pingInterval());
        OllamaFront ollama = new OllamaFront(chats, backend, config.pingInterval());
        // The OpenAI front first: it claims its /v1/chat/… paths before the Anthropic front claims the rest of /v1/.
        ProxyServer server = new ProxyServer(config.host(), config.port(), config.maxRequestBytes(), config.apiKey(),
                List.of(openai, anthropic, ollama),
                backend, chats.repairStats());
        return new ProxyApp(server, backend, router, tokens);
    }

    private static Backend backend(Config config, TokenCounter tokens) {
        return switch (config.provider()) {
            case OLLAMA -> new OllamaBackend(new OllamaClient(config.ollamaUrl()), new OllamaBackend.Settings(
                    config.requestTimeout(), config.imagesWithoutVision(), config.contextWindow(), config.contextCap(),
                    config.keepAlive()));
            case OPENAI -> new OpenAiBackend(new OpenAiBackend.Settings(config.providerUrl(), config.providerApiKey(),
                    config.requestTimeout(), config.contextWindow(), config.contextCap()), tokens);
            case ANTHROPIC -> new AnthropicBackend(new AnthropicBackend.Settings(config.providerUrl(),
                    config.providerApiKey(), config.requestTimeout()));
            case CLAUDE_AGENT -> new ClaudeAgentBackend(new ClaudeAgentBackend.Settings(
                    ClaudeCli.find(config.claudePath(), System.getenv()), config.agentWorkdir(), config.agentMaxTurns(),
                    config.agentMaxConcurrent(), config.requestTimeout(), config.providerUrl() == null ? Map.of()
                            : Map.of("ANTHROPIC_BASE_URL", config.providerUrl().toString())));
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

    public void stop() {
        server.stop();
    }
}
