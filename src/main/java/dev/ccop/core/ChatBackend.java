package dev.ccop.core;

/** Where answers come from: Ollama, an OpenAI-compatible server, the Anthropic API or the Claude Code CLI. */
public interface ChatBackend {

    /**
     * Prepares the upstream call; nothing is sent until the stream's first {@code next()}. {@code promptTokens} is
     * the request's size by {@link TokenCounter}, counted once per request by {@link ChatService}.
     */
    ChatStream stream(ChatRequest request, int promptTokens);
}
