package dev.ccop.core;

/**
 * One context edit that was applied to a request before the model saw it, as Anthropic's API reports them: its type
 * ({@code clear_tool_uses_20250919}, {@code clear_thinking_20251015}), how many tool uses or thinking turns it
 * cleared, and roughly how many input tokens that removed.
 */
public record AppliedEdit(String type, int clearedCount, int clearedInputTokens) {
    public static final String CLEAR_TOOL_USES = "clear_tool_uses_20250919";
    public static final String CLEAR_THINKING = "clear_thinking_20251015";
}
