package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The canonical request every front decodes into and every backend encodes from.
 * {@code system} holds the leading system prompt; {@code Role.SYSTEM} messages inside {@code messages} stay in place.
 * {@code format} asks for structured output: the text {@code "json"} or a JSON Schema object (null: free text).
 */
public record ChatRequest(
        String model,
        List<Block> system,
        List<Message> messages,
        List<Tool> tools,
        ToolChoice toolChoice,
        Sampling sampling,
        Thinking thinking,
        JsonNode format,
        boolean stream) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, system, messages, tools, toolChoice, sampling, thinking, format, stream);
    }

    public ChatRequest withThinking(Thinking newThinking) {
        return new ChatRequest(model, system, messages, tools, toolChoice, sampling, newThinking, format, stream);
    }
}
