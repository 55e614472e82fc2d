package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.AppliedEdit;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ThinkingSigner;
import java.util.List;

/**
 * Folds one answer's events into a non-streaming Anthropic message. Blocks split exactly where
 * {@link AnthropicStreamEncoder} splits them, so an SDK accumulating the stream rebuilds this same message.
 */
public final class AnthropicMessageAssembler {
    private final ThinkingSigner signer;
    private final List<AppliedEdit> appliedEdits;
    private final ObjectNode message;
    private final ArrayNode content;
    private StringBuilder openText;
    private String openType;
    private String upstreamSignature;

    public AnthropicMessageAssembler(String messageId, String clientModel, ThinkingSigner signer) {
        this(messageId, clientModel, signer, null);
    }

    /** {@code appliedEdits}: the context edits to report (null: none asked or applied). */
    public AnthropicMessageAssembler(String messageId, String clientModel, ThinkingSigner signer,
            List<AppliedEdit> appliedEdits) {
        this.signer = signer;
        this.appliedEdits = appliedEdits;
        message = AnthropicJson.MAPPER.createObjectNode()
                .put("id", messageId)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", clientModel);
        content = message.putArray("content");
    }

    /** Adds one event; returns the finished message on {@code Finished}, throws the error on {@code Failed}. */
    public ObjectNode add(ChatEvent event) {
        switch (event) {
            case ChatEvent.TextDelta text -> append("text", text.text());
            case ChatEvent.ReasoningDelta reasoning -> append("thinking", reasoning.text());
            case ChatEvent.ReasoningSignature signature -> upstreamSignature = signature.signature();
            case ChatEvent.ToolCall call -> {
                closeOpen();
                ObjectNode block = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
                block.set("input", call.input());
            }
            case ChatEvent.Finished finished -> {
                closeOpen();
                message.put("stop_reason", AnthropicJson.stopReason(finished.stopReason()));
                message.putNull("stop_sequence");
                message.set("usage", AnthropicJson.usage(finished.usage()));
                if (appliedEdits != null) {
                    message.set("context_management", AnthropicJson.contextManagement(appliedEdits));
                }
                return message;
            }
            case ChatEvent.Failed failed -> throw failed.error();
        }
        return null;
    }

    private void append(String type, String text) {
        if (!type.equals(openType)) {
            closeOpen();
            openType = type;
            openText = new StringBuilder();
        }
        openText.append(text);
    }

    private void closeOpen() {
        if (openType == null) {
            return;
        }
        ObjectNode block = content.addObject().put("type", openType).put(openType, openText.toString());
        if (openType.equals("thinking")) {
            block.put("signature", upstreamSignature != null ? upstreamSignature : signer.sign(openText.toString()));
            upstreamSignature = null;
        }
        openType = null;
        openText = null;
    }

}
