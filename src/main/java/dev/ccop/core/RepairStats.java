package dev.ccop.core;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** How often tool calls needed help since start; reported by {@code /health}. */
public final class RepairStats {
    final AtomicLong textToolCalls = new AtomicLong();
    final AtomicLong coercedArguments = new AtomicLong();
    final AtomicLong invalidToolCalls = new AtomicLong();

    public Map<String, Long> snapshot() {
        return Map.of(
                "tool_calls_recovered_from_text", textToolCalls.get(),
                "arguments_coerced", coercedArguments.get(),
                "invalid_tool_calls_withheld", invalidToolCalls.get());
    }
}
