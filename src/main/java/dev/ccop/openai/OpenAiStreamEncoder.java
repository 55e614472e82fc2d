package dev.ccop.openai;

import dev.ccop.core.Json;
import dev.ccop.core.ReasoningOutput;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.Usage;

/**
 * Canonical events to OpenAI {@code chat.completion.chunk}s: a first chunk with the role at once, one chunk per
 * delta, each tool call whole (its complete arguments in one chunk), a finish chunk, the usage chunk when asked for,
 * and {@code data: [DONE]} — also after an error object, so no client is left waiting.
 */
public final class OpenAiStreamEncoder implements StreamEncoder {
    private final String id;
    private final String clientModel;
    private final long created;
    private final boolean includeUsage;
    private final ReasoningOutput reasoningOutput;
    private int toolCalls;
    private boolean thinkTagOpen;

    public OpenAiStreamEncoder(String id, String clientModel, long created, boolean includeUsage,
            ReasoningOutput reasoningOutput) {
        this.id = id;
        this.clientModel = clientModel;
        this.created = created;
        this.includeUsage = includeUsage;
        this.reasoningOutput = reasoningOutput;
    }

    @Override
    public String contentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public String start() {
        ObjectNode delta = OpenAiJson.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
        return chunk(delta, null);
    }

    @Override
    public String ping() {
        return ": ping\n\n";
    }

    @Override
    public String encode(ChatEvent event) {
        return switch (event) {
            case ChatEvent.TextDelta text -> closeThinkTag() + content(text.text());
            case ChatEvent.ReasoningDelta reasoning -> switch (reasoningOutput) {
                case REASONING_CONTENT -> chunk(OpenAiJson.MAPPER.createObjectNode()
                        .put("reasoning_content", reasoning.text()), null);
                case OMIT -> "";
                case THINK_TAGS -> {
                    String open = thinkTagOpen ? "" : "<think>";
                    thinkTagOpen = true;
                    yield content(open + reasoning.text());
                }
            };
            case ChatEvent.ReasoningSignature ignored -> "";
            case ChatEvent.ToolCall call -> {
                ObjectNode delta = OpenAiJson.MAPPER.createObjectNode();
                ArrayNode calls = delta.putArray("tool_calls");
                ObjectNode entry = calls.addObject().put("index", toolCalls++).put("id", call.id()).put("type", "function");
                entry.putObject("function").put("name", call.name()).put("arguments", Json.write(call.input()));
                yield closeThinkTag() + chunk(delta, null);
            }
            case ChatEvent.Finished finished -> closeThinkTag()
                    + chunk(OpenAiJson.MAPPER.createObjectNode(), OpenAiJson.finishReason(finished.stopReason()))
                    + (includeUsage ? usageChunk(finished.usage()) : "")
                    + "data: [DONE]\n\n";
            case ChatEvent.Failed failed ->
                    "data: " + Json.write(OpenAiJson.error(failed.error())) + "\n\ndata: [DONE]\n\n";
        };
    }

    private String content(String text) {
        return chunk(OpenAiJson.MAPPER.createObjectNode().put("content", text), null);
    }

    private String closeThinkTag() {
        if (!thinkTagOpen) {
            return "";
        }
        thinkTagOpen = false;
        return content("</think>\n\n");
    }

    private String chunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = base();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return "data: " + Json.write(chunk) + "\n\n";
    }

    private String usageChunk(Usage usage) {
        ObjectNode chunk = base();
        chunk.putArray("choices");
        chunk.set("usage", OpenAiResponseAssembler.usage(usage));
        return "data: " + Json.write(chunk) + "\n\n";
    }

    private ObjectNode base() {
        return OpenAiJson.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", created).put("model", clientModel);
    }
}
