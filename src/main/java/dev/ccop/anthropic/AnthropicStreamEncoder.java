package dev.ccop.anthropic;

import dev.ccop.core.AppliedEdit;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.Json;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.ThinkingSigner;
import java.util.List;

/**
 * Canonical events to Anthropic's SSE grammar: {@code message_start}, then content blocks (start, deltas, stop)
 * numbered from 0 with at most one open at a time, then {@code message_delta} and {@code message_stop} — or
 * {@code error} when the answer failed. A thinking block closes with a {@code signature_delta}, as Anthropic's do:
 * the backend's own signature when it sent one (Claude's), else the proxy's.
 * The block bookkeeping is this small state machine and nothing else. Frames are written as text with every value
 * that comes from outside quoted by {@link AnthropicJson#quote}: one way, and no tree per delta on the hot path.
 */
public final class AnthropicStreamEncoder implements StreamEncoder {
    private enum OpenBlock { NONE, TEXT, THINKING, TOOL_USE }

    private final String messageId;
    private final String clientModel;
    private final int estimatedInputTokens;
    private final String requestId;
    private final ThinkingSigner signer;
    /** {@code ,"context_management":{…}} for the final message_delta, or empty when nothing is to be reported. */
    private final String contextManagement;
    private final StringBuilder thinking = new StringBuilder();
    private String upstreamSignature;

    private OpenBlock open = OpenBlock.NONE;
    private int index;
    private boolean terminated;

    public AnthropicStreamEncoder(String messageId, String clientModel, int estimatedInputTokens, String requestId,
            ThinkingSigner signer) {
        this(messageId, clientModel, estimatedInputTokens, requestId, signer, null);
    }

    /** {@code appliedEdits}: the context edits to report on the final message_delta (null: none asked or applied). */
    public AnthropicStreamEncoder(String messageId, String clientModel, int estimatedInputTokens, String requestId,
            ThinkingSigner signer, List<AppliedEdit> appliedEdits) {
        this.signer = signer;
        this.contextManagement = appliedEdits == null ? ""
                : ",\"context_management\":" + Json.write(AnthropicJson.contextManagement(appliedEdits));
        this.messageId = messageId;
        this.clientModel = clientModel;
        this.estimatedInputTokens = estimatedInputTokens;
        this.requestId = requestId;
    }

    @Override
    public String contentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public String start() {
        return frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":" + AnthropicJson.quote(messageId)
                + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + AnthropicJson.quote(clientModel)
                + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                + estimatedInputTokens + ",\"output_tokens\":0}}}");
    }

    @Override
    public String ping() {
        return frame("ping", "{\"type\":\"ping\"}");
    }

    @Override
    public String encode(ChatEvent event) {
        if (terminated) {
            throw new IllegalStateException("event after the end of the stream: " + event);
        }
        StringBuilder out = new StringBuilder(128);
        switch (event) {
            case ChatEvent.TextDelta text -> {
                ensureOpen(OpenBlock.TEXT, "{\"type\":\"text\",\"text\":\"\"}", out);
                delta(out, "{\"type\":\"text_delta\",\"text\":" + AnthropicJson.quote(text.text()) + "}");
            }
            case ChatEvent.ReasoningDelta reasoning -> {
                ensureOpen(OpenBlock.THINKING, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}", out);
                thinking.append(reasoning.text());
                delta(out, "{\"type\":\"thinking_delta\",\"thinking\":" + AnthropicJson.quote(reasoning.text()) + "}");
            }
            case ChatEvent.ReasoningSignature signature -> upstreamSignature = signature.signature();
            case ChatEvent.ToolCall call -> {
                closeOpen(out);
                startBlock(OpenBlock.TOOL_USE, "{\"type\":\"tool_use\",\"id\":" + AnthropicJson.quote(call.id())
                        + ",\"name\":" + AnthropicJson.quote(call.name()) + ",\"input\":{}}", out);
                delta(out, "{\"type\":\"input_json_delta\",\"partial_json\":"
                        + AnthropicJson.quote(Json.write(call.input())) + "}");
                closeOpen(out);
            }
            case ChatEvent.Finished finished -> {
                closeOpen(out);
                terminated = true;
                out.append(frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                        + AnthropicJson.stopReason(finished.stopReason()) + "\",\"stop_sequence\":null},"
                        + "\"usage\":" + Json.write(AnthropicJson.usage(finished.usage())) + contextManagement + "}"));
                out.append(frame("message_stop", "{\"type\":\"message_stop\"}"));
            }
            case ChatEvent.Failed failed -> {
                terminated = true;
                out.append(frame("error", Json.write(AnthropicJson.error(failed.error(), requestId))));
            }
        }
        return out.toString();
    }

    private void ensureOpen(OpenBlock kind, String emptyBlockJson, StringBuilder out) {
        if (open == kind) {
            return;
        }
        closeOpen(out);
        startBlock(kind, emptyBlockJson, out);
    }

    private void startBlock(OpenBlock kind, String blockJson, StringBuilder out) {
        out.append(frame("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + blockJson + "}"));
        open = kind;
    }

    private void delta(StringBuilder out, String deltaJson) {
        out.append(frame("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + deltaJson + "}"));
    }

    private void closeOpen(StringBuilder out) {
        if (open == OpenBlock.NONE) {
            return;
        }
        if (open == OpenBlock.THINKING) {
            String signature = upstreamSignature != null ? upstreamSignature : signer.sign(thinking.toString());
            delta(out, "{\"type\":\"signature_delta\",\"signature\":" + AnthropicJson.quote(signature) + "}");
            thinking.setLength(0);
            upstreamSignature = null;
        }
        out.append(frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
        open = OpenBlock.NONE;
        index++;
    }

    private static String frame(String event, String data) {
        return "event: " + event + "\ndata: " + data + "\n\n";
    }
}
