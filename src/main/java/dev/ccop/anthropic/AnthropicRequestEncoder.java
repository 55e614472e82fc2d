package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Message;
import dev.ccop.core.Tool;
import java.util.List;
import java.util.Map;

/**
 * {@link ChatRequest} to an Anthropic Messages body, for the Anthropic backend when the client speaks another
 * dialect. Thinking blocks without an Anthropic signature (an Ollama or OpenAI client cannot return one, and the
 * proxy's own {@code ccop1:} signatures mean nothing to Anthropic) are dropped from the history rather than sent
 * unsigned, which the API would reject.
 */
final class AnthropicRequestEncoder {
    static final int DEFAULT_MAX_TOKENS = 4096;
    private static final Map<String, Integer> BUDGETS = Map.of("low", 2048, "medium", 8192, "high", 16384, "max", 32000);

    ObjectNode encode(ChatRequest request) {
        ObjectNode body = AnthropicJson.MAPPER.createObjectNode().put("model", request.model());
        int maxTokens = request.sampling().maxTokens() != null ? request.sampling().maxTokens() : DEFAULT_MAX_TOKENS;
        if (!request.system().isEmpty() || request.format() != null) {
            ArrayNode system = body.putArray("system");
            blocks(request.system(), system);
            if (request.format() != null) {
                system.addObject().put("type", "text").put("text", formatInstruction(request));
            }
        }
        ArrayNode messages = body.putArray("messages");
        for (Message message : request.messages()) {
            ArrayNode content = AnthropicJson.MAPPER.createArrayNode();
            blocks(message.content(), content);
            if (!content.isEmpty()) {
                messages.addObject().put("role", message.role().name().toLowerCase()).set("content", content);
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (Tool tool : request.tools()) {
                ObjectNode out = tools.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    out.put("description", tool.description());
                }
                out.set("input_schema", tool.inputSchema() != null ? tool.inputSchema()
                        : AnthropicJson.MAPPER.createObjectNode().put("type", "object"));
            }
            switch (request.toolChoice().mode()) {
                case AUTO -> { }
                case ANY -> body.putObject("tool_choice").put("type", "any");
                case NONE -> body.putObject("tool_choice").put("type", "none");
                case TOOL -> body.putObject("tool_choice").put("type", "tool").put("name", request.toolChoice().toolName());
            }
        }
        if (request.thinking().enabled() != null) {
            if (request.thinking().enabled()) {
                int budget = BUDGETS.getOrDefault(request.thinking().level() == null ? "medium" : request.thinking().level(), 8192);
                maxTokens = Math.max(maxTokens, budget + 1024); // the budget must be below max_tokens
                body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget);
            } else {
                body.putObject("thinking").put("type", "disabled");
            }
        }
        body.put("max_tokens", maxTokens);
        var sampling = request.sampling();
        if (sampling.temperature() != null) {
            body.put("temperature", Math.min(1.0, sampling.temperature()));
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (sampling.topK() != null) {
            body.put("top_k", sampling.topK());
        }
        if (!sampling.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            sampling.stopSequences().forEach(stop::add);
        }
        body.put("stream", true);
        return body;
    }

    /** The Messages API has no JSON mode: structured output is asked for in words, with the schema when given. */
    static String formatInstruction(ChatRequest request) {
        return request.format().isTextual()
                ? "Reply with a single valid JSON value and nothing else: no prose, no code fences."
                : "Reply with a single JSON value that matches this JSON Schema, and nothing else (no prose, no code"
                        + " fences): " + Json.write(request.format());
    }

    private static void blocks(List<Block> blocks, ArrayNode out) {
        for (Block block : blocks) {
            switch (block) {
                case Block.Text text -> {
                    if (!text.text().isEmpty()) {
                        out.addObject().put("type", "text").put("text", text.text());
                    }
                }
                case Block.Image image -> out.addObject().put("type", "image").putObject("source")
                        .put("type", "base64").put("media_type", image.mediaType()).put("data", image.data());
                case Block.ToolUse use -> out.addObject().put("type", "tool_use").put("id", use.id())
                        .put("name", use.name()).set("input", use.input());
                case Block.ToolResult result -> {
                    ObjectNode node = out.addObject().put("type", "tool_result").put("tool_use_id", result.toolUseId());
                    blocks(result.content(), node.putArray("content"));
                    if (result.isError()) {
                        node.put("is_error", true);
                    }
                }
                case Block.Reasoning reasoning -> {
                    if (!reasoning.signature().isEmpty() && !reasoning.signature().startsWith("ccop1:")) {
                        out.addObject().put("type", "thinking").put("thinking", reasoning.text())
                                .put("signature", reasoning.signature());
                    }
                }
            }
        }
    }
}
