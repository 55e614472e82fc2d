package dev.ccop;

import dev.ccop.anthropic.AnthropicFront;
import dev.ccop.config.Config;
import dev.ccop.core.ChatService;
import dev.ccop.core.ModelRouter;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.TokenCounter;
import dev.ccop.ollama.OllamaBackend;
import dev.ccop.ollama.OllamaClient;
import dev.ccop.server.ProxyServer;
import java.util.List;

/** Wires a running proxy from a {@link Config}: the Ollama backend, the model router, the fronts, the server. */
public final class ProxyApp {
    private ProxyApp() {}

    public static ProxyServer start(Config config) {
        OllamaBackend ollama = new OllamaBackend(
                new OllamaClient(config.ollamaUrl()), config.requestTimeout(), config.imagesWithoutVision());
        ModelRouter router = new ModelRouter(config.modelMap(), config.defaultModel(), config.smallModel(), ollama);
        ChatService chats = new ChatService(router, ollama);
        ThinkingSigner signer = ThinkingSigner.fromKeyFile(config.stateDir().resolve("thinking-key"));
        AnthropicFront anthropic = new AnthropicFront(
                chats, config.modelMap(), ollama, new TokenCounter(), signer, config.pingInterval());
        return new ProxyServer(config.host(), config.port(), config.maxRequestBytes(), List.of(anthropic), ollama,
                chats.repairStats()).start();
    }
}
