package dev.ccop.core;

import java.util.List;

/** Rules for the system prompt that every non-Anthropic backend applies. */
public final class SystemPrompt {
    static final String BILLING_HEADER_PREFIX = "x-anthropic-billing-header:";

    private SystemPrompt() {}

    /**
     * Claude Code starts the system prompt with an {@code x-anthropic-billing-header: …} block whose value changes on
     * every request; left in, it would make every prompt differ from its first bytes and defeat the backend's prompt
     * (KV) cache.
     */
    public static List<Block> withoutBillingHeader(List<Block> system) {
        return system.stream()
                .filter(b -> !(b instanceof Block.Text t && t.text().startsWith(BILLING_HEADER_PREFIX)))
                .toList();
    }
}
