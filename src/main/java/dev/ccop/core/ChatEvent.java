package dev.ccop.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One step of an answer. Every answer, streamed or not, is an ordered sequence of these ending in exactly one
 * {@link Finished} or {@link Failed}.
 */
public sealed interface ChatEvent {

    record TextDelta(String text) implements ChatEvent {}

    record ReasoningDelta(String text) implements ChatEvent {}

    /** The backend's own signature for the reasoning so far (Anthropic's); fronts pass it on untouched. */
    record ReasoningSignature(String signature) implements ChatEvent {}

    /** A complete tool call: backends deliver calls whole, never as argument fragments. */
    record ToolCall(String id, String name, ObjectNode input) implements ChatEvent {}

    record Finished(StopReason stopReason, Usage usage) implements ChatEvent {}

    record Failed(ProxyError error) implements ChatEvent {}
}
