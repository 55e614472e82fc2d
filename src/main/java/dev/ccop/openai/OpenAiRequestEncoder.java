package dev.ccop.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Message;
import dev.ccop.core.Sampling;
import dev.ccop.core.SystemPrompt;
import dev.ccop.core.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ChatRequest} to a Chat Completions body for an OpenAI-compatible server (LM Studio, vLLM, llama.cpp's server,
 * OpenRouter). Always streams, asking for the usage chunk. Uses the widely supported {@code max_tokens}.
 */
final class OpenAiRequestEncoder {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    ObjectNode encode(ChatRequest request) {
        ObjectNode body = JSON.objectNode().put("model", request.model());
        body.set("messages", messages(request));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            request.tools().forEach(tool -> tools.add(tool(tool)));
            switch (request.toolChoice().mode()) {
                case AUTO -> { }
                case NONE -> body.put("tool_choice", "none");
                case ANY -> body.put("tool_choice", "required");
                case TOOL -> body.putObject("tool_choice").put("type", "function")
                        .putObject("function").put("name", request.toolChoice().toolName());
            }
        }
        sampling(request.sampling(), body);
        if (request.thinking().enabled() != null) {
            body.put("reasoning_effort", !request.thinking().enabled() ? "none"
                    : request.thinking().level() == null ? "medium" : request.thinking().level());
        }
        if (request.format() != null) {
            ObjectNode format = body.putObject("response_format");
            if (request.format().isTextual()) {
                format.put("type", "json_object");
            } else {
                format.put("type", "json_schema").putObject("json_schema").put("name", "response")
                        .set("schema", request.format());
            }
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body;
    }

    private static ArrayNode messages(ChatRequest request) {
        ArrayNode out = JSON.arrayNode();
        String system = Block.joinText(SystemPrompt.withoutBillingHeader(request.system()));
        if (!system.isEmpty()) {
            out.addObject().put("role", "system").put("content", system);
        }
        for (Message message : request.messages()) {
            switch (message.role()) {
                case SYSTEM -> out.addObject().put("role", "system").put("content", Block.joinText(message.content()));
                case ASSISTANT -> out.add(assistant(message));
                case USER -> user(message, out);
            }
        }
        return out;
    }

    private static ObjectNode assistant(Message message) {
        ObjectNode out = JSON.objectNode().put("role", "assistant");
        String text = Block.joinText(message.content());
        ArrayNode calls = JSON.arrayNode();
        for (Block block : message.content()) {
            if (block instanceof Block.ToolUse use) {
                ObjectNode call = calls.addObject().put("id", use.id()).put("type", "function");
                call.putObject("function").put("name", use.name()).put("arguments", Json.write(use.input()));
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            out.putNull("content");
        } else {
            out.put("content", text);
        }
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        return out;
    }

    /** Tool results first, one {@code tool} message each, then the user's own text and images. */
    private static void user(Message message, ArrayNode out) {
        List<Block> rest = new ArrayList<>();
        for (Block block : message.content()) {
            if (block instanceof Block.ToolResult result) {
                String content = Block.joinText(result.content());
                out.addObject().put("role", "tool").put("tool_call_id", result.toolUseId())
                        .put("content", result.isError() ? "Error: " + content : content);
            } else {
                rest.add(block);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        ObjectNode user = out.addObject().put("role", "user");
        if (rest.stream().noneMatch(Block.Image.class::isInstance)) {
            user.put("content", Block.joinText(rest));
            return;
        }
        ArrayNode parts = user.putArray("content");
        for (Block block : rest) {
            if (block instanceof Block.Text t) {
                parts.addObject().put("type", "text").put("text", t.text());
            } else if (block instanceof Block.Image image) {
                parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", "data:" + image.mediaType() + ";base64," + image.data());
            }
        }
    }

    private static ObjectNode tool(Tool tool) {
        ObjectNode out = JSON.objectNode().put("type", "function");
        ObjectNode function = out.putObject("function").put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        function.set("parameters", tool.inputSchema() != null
                ? tool.inputSchema() : JSON.objectNode().put("type", "object").set("properties", JSON.objectNode()));
        return out;
    }

    private static void sampling(Sampling sampling, ObjectNode body) {
        if (sampling.maxTokens() != null) {
            body.put("max_tokens", sampling.maxTokens());
        }
        if (sampling.temperature() != null) {
            body.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            body.put("top_p", sampling.topP());
        }
        if (sampling.seed() != null) {
            body.put("seed", sampling.seed());
        }
        if (!sampling.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            sampling.stopSequences().forEach(stop::add);
        }
    }

}
