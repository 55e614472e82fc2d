package dev.ccop.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.StopReason;
import dev.ccop.core.StreamEncoder;
import java.time.Instant;

/**
 * Canonical events to Ollama's NDJSON, for Ollama clients: one object per line, {@code message} chunks for
 * {@code /api/chat} or {@code response} chunks for {@code /api/generate}, a final {@code done: true} object with
 * {@code done_reason}, token counts and durations (measured by the proxy), or an {@code {"error": …}} line.
 * NDJSON has no comments, so nothing is written before the first event and there are no keep-alives.
 */
public final class OllamaStreamEncoder implements StreamEncoder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String model;
    private final boolean generate;
    private final long started = System.nanoTime();
    private long firstEvent;
    private int toolCalls;

    public OllamaStreamEncoder(String model, boolean generate) {
        this.model = model;
        this.generate = generate;
    }

    @Override
    public String contentType() {
        return "application/x-ndjson";
    }

    @Override
    public String start() {
        return "";
    }

    @Override
    public String ping() {
        return "";
    }

    @Override
    public String encode(ChatEvent event) {
        sawEvent();
        return switch (event) {
            case ChatEvent.TextDelta text -> line(chunk(text.text(), null, null, false));
            case ChatEvent.ReasoningDelta reasoning -> line(chunk("", reasoning.text(), null, false));
            case ChatEvent.ReasoningSignature ignored -> ""; // Ollama clients cannot return signatures
            case ChatEvent.ToolCall call -> {
                ArrayNode calls = JSON.arrayNode();
                ObjectNode entry = calls.addObject().put("id", call.id());
                ObjectNode function = entry.putObject("function").put("index", toolCalls++).put("name", call.name());
                function.set("arguments", call.input());
                yield line(chunk("", null, calls, false));
            }
            case ChatEvent.Finished finished -> line(done(finished));
            case ChatEvent.Failed failed -> line(JSON.objectNode().put("error", failed.error().getMessage()));
        };
    }

    /** The first event ends the prompt phase: {@code prompt_eval_duration} runs up to it. */
    void sawEvent() {
        if (firstEvent == 0) {
            firstEvent = System.nanoTime();
        }
    }

    ObjectNode chunk(String content, String thinking, ArrayNode calls, boolean done) {
        ObjectNode chunk = JSON.objectNode().put("model", model).put("created_at", Instant.now().toString());
        if (generate) {
            chunk.put("response", content);
            if (thinking != null) {
                chunk.put("thinking", thinking);
            }
        } else {
            ObjectNode message = chunk.putObject("message").put("role", "assistant").put("content", content);
            if (thinking != null) {
                message.put("thinking", thinking);
            }
            if (calls != null) {
                message.set("tool_calls", calls);
            }
        }
        chunk.put("done", done);
        return chunk;
    }

    /** The final object: Ollama's statistics, with durations the proxy measured (nanoseconds). */
    ObjectNode done(ChatEvent.Finished finished) {
        long now = System.nanoTime();
        long first = firstEvent == 0 ? now : firstEvent;
        ObjectNode done = chunk("", null, null, true);
        done.put("done_reason", finished.stopReason() == StopReason.MAX_TOKENS ? "length" : "stop")
                .put("total_duration", now - started)
                .put("load_duration", 0)
                .put("prompt_eval_count", finished.usage().inputTokens())
                .put("prompt_eval_duration", first - started)
                .put("eval_count", finished.usage().outputTokens())
                .put("eval_duration", now - first);
        if (finished.usage().cachedInputTokens() > 0) {
            done.put("prompt_eval_cached_count", finished.usage().cachedInputTokens());
        }
        return done;
    }

    private static String line(ObjectNode node) {
        return node.toString() + "\n";
    }
}
