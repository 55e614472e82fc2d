package dev.ccop.core;

import java.util.List;

/**
 * The context edits a client asks for, with the semantics of Anthropic's {@code context_management} (beta
 * {@code context-management-2025-06-27}). Either edit may be null (not asked for).
 */
public record ContextEdits(ClearToolUses clearToolUses, ClearThinking clearThinking) {

    /**
     * {@code clear_tool_uses_20250919}: once the prompt passes {@code triggerTokens}, the oldest tool results are
     * replaced by a short stub, keeping the latest {@code keepToolUses} and every use of {@code excludeTools}, and
     * clearing at least {@code clearAtLeastTokens} when it clears at all. {@code clearInputs} clears the calls' inputs
     * too: all of them ({@code clearInputsOf} null) or those of the named tools.
     */
    public record ClearToolUses(int triggerTokens, int keepToolUses, int clearAtLeastTokens, List<String> excludeTools,
            boolean clearInputs, List<String> clearInputsOf) {
        public static final int DEFAULT_TRIGGER = 100_000;
        public static final int DEFAULT_KEEP = 3;

        public ClearToolUses {
            excludeTools = List.copyOf(excludeTools);
            clearInputsOf = clearInputsOf == null ? null : List.copyOf(clearInputsOf);
        }

        public boolean clearsInputOf(String tool) {
            return clearInputs && (clearInputsOf == null || clearInputsOf.contains(tool));
        }
    }

    /** {@code clear_thinking_20251015}: thinking of all but the latest {@code keepTurns} assistant turns (null: all kept). */
    public record ClearThinking(Integer keepTurns) {}

    public static final ContextEdits NONE = new ContextEdits(null, null);

    public boolean isEmpty() {
        return clearToolUses == null && clearThinking == null;
    }
}
