package dev.ccop.core;

/**
 * How reasoning text reaches OpenAI clients: as {@code reasoning_content} (what DeepSeek and most tools read), not at
 * all (some clients hang on fields they do not know), or inline as {@code <think>…</think>} before the answer.
 */
public enum ReasoningOutput {
    REASONING_CONTENT, OMIT, THINK_TAGS
}
