package dev.ccop.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;

/** Folds an answer into Ollama's single {@code "stream": false} object: content and thinking joined, all tool calls. */
public final class OllamaResponseAssembler {
    private final OllamaStreamEncoder encoder;
    private final boolean generate;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private final ArrayNode toolCalls = JsonNodeFactory.instance.arrayNode();

    public OllamaResponseAssembler(String model, boolean generate) {
        this.encoder = new OllamaStreamEncoder(model, generate);
        this.generate = generate;
    }

    /** Adds one event; returns the whole answer on {@code Finished}, throws the error on {@code Failed}. */
    public ObjectNode add(ChatEvent event) {
        encoder.sawEvent();
        switch (event) {
            case ChatEvent.TextDelta text -> content.append(text.text());
            case ChatEvent.ReasoningDelta reasoning -> thinking.append(reasoning.text());
            case ChatEvent.ReasoningSignature ignored -> { }
            case ChatEvent.ToolCall call -> {
                ObjectNode entry = toolCalls.addObject().put("id", call.id());
                ObjectNode function = entry.putObject("function").put("index", toolCalls.size() - 1).put("name", call.name());
                function.set("arguments", call.input());
            }
            case ChatEvent.Finished finished -> {
                ObjectNode whole = encoder.done(finished);
                if (generate) {
                    whole.put("response", content.toString());
                    if (!thinking.isEmpty()) {
                        whole.put("thinking", thinking.toString());
                    }
                } else {
                    ObjectNode message = (ObjectNode) whole.get("message");
                    message.put("content", content.toString());
                    if (!thinking.isEmpty()) {
                        message.put("thinking", thinking.toString());
                    }
                    if (!toolCalls.isEmpty()) {
                        message.set("tool_calls", toolCalls);
                    }
                }
                return whole;
            }
            case ChatEvent.Failed failed -> throw failed.error();
        }
        return null;
    }
}
