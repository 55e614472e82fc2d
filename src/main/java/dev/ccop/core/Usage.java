package dev.ccop.core;

/**
 * Token counts of one answer. {@code inputTokens} is the whole prompt; {@code cachedInputTokens}, the part of it the
 * backend read from its cache (Ollama's {@code prompt_eval_cached_count}) instead of evaluating again.
 */
public record Usage(int inputTokens, int outputTokens, int cachedInputTokens) {

    public Usage(int inputTokens, int outputTokens) {
        this(inputTokens, outputTokens, 0);
    }

    /** The prompt's tokens that were evaluated anew: the whole prompt but what came from the cache. */
    public int uncachedInputTokens() {
        return Math.max(0, inputTokens - cachedInputTokens);
    }

    /** The same answer reported against a prompt of {@code clientInputTokens} (what the client itself sent). */
    public Usage withInputTokens(int clientInputTokens) {
        return new Usage(clientInputTokens, outputTokens, Math.min(cachedInputTokens, clientInputTokens));
    }
}
