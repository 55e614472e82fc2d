package dev.ccop.openai;

import dev.ccop.core.Json;
import dev.ccop.core.ReasoningOutput;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.Usage;

/** Folds one answer's events into a non-streaming {@code chat.completion}, as the stream encoder would deliver it. */
public final class OpenAiResponseAssembler {
    private final ObjectNode response;
    private final ReasoningOutput reasoningOutput;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final ArrayNode toolCalls = OpenAiJson.MAPPER.createArrayNode();

    public OpenAiResponseAssembler(String id, String clientModel, long created, ReasoningOutput reasoningOutput) {
        this.reasoningOutput = reasoningOutput;
        response = OpenAiJson.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", created).put("model", clientModel);
    }

    /** Adds one event; returns the finished response on {@code Finished}, throws the error on {@code Failed}. */
    public ObjectNode add(ChatEvent event) {
        switch (event) {
            case ChatEvent.TextDelta text -> content.append(text.text());
            case ChatEvent.ReasoningDelta delta -> reasoning.append(delta.text());
            case ChatEvent.ReasoningSignature ignored -> { }
            case ChatEvent.ToolCall call -> {
                ObjectNode entry = toolCalls.addObject().put("id", call.id()).put("type", "function");
                entry.putObject("function").put("name", call.name()).put("arguments", Json.write(call.input()));
            }
            case ChatEvent.Finished finished -> {
                return finish(finished);
            }
            case ChatEvent.Failed failed -> throw failed.error();
        }
        return null;
    }

    private ObjectNode finish(ChatEvent.Finished finished) {
        ObjectNode message = OpenAiJson.MAPPER.createObjectNode().put("role", "assistant");
        String text = content.toString();
        if (reasoningOutput == ReasoningOutput.THINK_TAGS && !reasoning.isEmpty()) {
            text = "<think>" + reasoning + "</think>\n\n" + text;
        }
        if (text.isEmpty() && !toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        if (reasoningOutput == ReasoningOutput.REASONING_CONTENT && !reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        message.putNull("refusal"); // required by OpenAI's schema, null when the model did not refuse
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", OpenAiJson.finishReason(finished.stopReason()));
        response.set("usage", usage(finished.usage()));
        return response;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode out = OpenAiJson.MAPPER.createObjectNode()
                .put("prompt_tokens", usage.inputTokens())
                .put("completion_tokens", usage.outputTokens())
                .put("total_tokens", usage.inputTokens() + usage.outputTokens());
        out.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
        return out;
    }
}
