package dev.ccop.core;

import java.util.List;

public record Message(Role role, List<Block> content) {
    public Message {
        content = List.copyOf(content);
    }

    /**
     * Adds a tool result to a conversation being decoded: consecutive results (one {@code tool} message each in the
     * OpenAI and Ollama dialects) form one user turn, as Anthropic's model has them.
     */
    public static void addToolResult(java.util.List<Message> messages, Block.ToolResult result) {
        Message last = messages.isEmpty() ? null : messages.getLast();
        if (last != null && last.role() == Role.USER
                && last.content().stream().allMatch(Block.ToolResult.class::isInstance)) {
            java.util.List<Block> merged = new java.util.ArrayList<>(last.content());
            merged.add(result);
            messages.set(messages.size() - 1, new Message(Role.USER, merged));
        } else {
            messages.add(new Message(Role.USER, List.of(result)));
        }
    }
}
