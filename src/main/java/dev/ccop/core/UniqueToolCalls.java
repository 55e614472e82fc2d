package dev.ccop.core;

import java.util.HashMap;
import java.util.Map;

/**
 * One id per tool call in an answer. Ollama can repeat a call: an exact repeat (same id, tool and input) is dropped,
 * and a different call that reuses an id gets a fresh one, so a client never sees two {@code tool_use} blocks with
 * one id (it could not pair its results with them).
 */
final class UniqueToolCalls extends ForwardingChatStream {
    private final Map<String, ChatEvent.ToolCall> seen = new HashMap<>();

    UniqueToolCalls(ChatStream inner) {
        super(inner);
    }

    @Override
    public ChatEvent next() {
        while (true) {
            ChatEvent event = inner.next();
            if (!(event instanceof ChatEvent.ToolCall call)) {
                return event;
            }
            ChatEvent.ToolCall earlier = seen.get(call.id());
            if (earlier == null) {
                seen.put(call.id(), call);
                return call;
            }
            if (!earlier.equals(call)) {
                ChatEvent.ToolCall renamed = new ChatEvent.ToolCall(Ids.toolUseId(), call.name(), call.input());
                seen.put(renamed.id(), renamed);
                return renamed;
            }
            // an exact repeat: read on
        }
    }
}
