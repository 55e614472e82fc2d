package dev.ccop.core;

import java.util.List;

/**
 * The canonical request every front decodes into and every backend encodes from.
 * {@code system} holds the leading system prompt; {@code Role.SYSTEM} messages inside {@code messages} stay in place.
 */
public record ChatRequest(
        String model,
        List<Block> system,
        List<Message> messages,
        List<Tool> tools,
        ToolChoice toolChoice,
        Sampling sampling,
        Thinking thinking,
        boolean stream) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, system, messages, tools, toolChoice, sampling, thinking, stream);
    }
}
