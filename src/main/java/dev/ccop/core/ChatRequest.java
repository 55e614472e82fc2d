package dev.ccop.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The canonical request every front decodes into and every backend encodes from.
 * {@code system} holds the leading system prompt; {@code Role.SYSTEM} messages inside {@code messages} stay in place.
 * {@code format} asks for structured output: the text {@code "json"} or a JSON Schema object (null: free text).
 * {@code conversation} says which client session the request belongs to and which context edits it asks for.
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
        boolean stream,
        Conversation conversation) {

    public ChatRequest {
        system = List.copyOf(system);
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        conversation = conversation == null ? Conversation.NONE : conversation;
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, system, messages, tools, toolChoice, sampling, thinking, format, stream,
                conversation);
    }

    public ChatRequest withThinking(Thinking newThinking) {
        return new ChatRequest(model, system, messages, tools, toolChoice, sampling, newThinking, format, stream,
                conversation);
    }

    public ChatRequest withMessages(List<Message> newMessages) {
        return new ChatRequest(model, system, newMessages, tools, toolChoice, sampling, thinking, format, stream,
                conversation);
    }

    public ChatRequest withConversation(Conversation newConversation) {
        return new ChatRequest(model, system, messages, tools, toolChoice, sampling, thinking, format, stream,
                newConversation);
    }
}
