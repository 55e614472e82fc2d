package dev.ccop.core;

/** Where answers come from (Ollama today). */
public interface ChatBackend {

    /** Prepares the upstream call; nothing is sent until the stream's first {@code next()}. */
    ChatStream stream(ChatRequest request);
}
