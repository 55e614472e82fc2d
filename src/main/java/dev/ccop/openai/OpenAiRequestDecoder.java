package dev.ccop.openai;

import static dev.ccop.core.JsonInput.missing;
import static dev.ccop.core.JsonInput.object;
import static dev.ccop.core.JsonInput.optionalArray;
import static dev.ccop.core.JsonInput.optionalBoolean;
import static dev.ccop.core.JsonInput.optionalInt;
import static dev.ccop.core.JsonInput.optionalNumber;
import static dev.ccop.core.JsonInput.optionalString;
import static dev.ccop.core.JsonInput.requiredString;
import static dev.ccop.core.JsonInput.wrongType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Conversation;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.Sampling;
import dev.ccop.core.Thinking;
import dev.ccop.core.Tool;
import dev.ccop.core.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OpenAI Chat Completions request to {@link ChatRequest}. Leading {@code system}/{@code developer} messages become the
 * system prompt; later ones stay in place. Consecutive {@code tool} messages become one user turn of tool results.
 */
public final class OpenAiRequestDecoder {

    /** What the request says beyond the canonical request: OpenAI-only streaming options. */
    public record Decoded(ChatRequest request, boolean includeUsage) {}

    public Decoded decode(JsonNode body) {
        ObjectNode root = object(body, "body");
        String model = requiredString(root, "model", "");
        if (!root.has("messages") || root.get("messages").isNull()) {
            throw missing("messages");
        }
        Integer n = optionalInt(root, "n", "");
        if (n != null && n != 1) {
            throw ProxyError.invalidRequest("n: only 1 choice per request is supported, got " + n);
        }
        List<Block> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        List<JsonNode> raw = optionalArray(root, "messages", "");
        for (int i = 0; i < raw.size(); i++) {
            message(raw.get(i), "messages[" + i + "]", system, messages);
        }
        if (messages.isEmpty()) {
            throw ProxyError.invalidRequest("messages: at least one user, assistant or tool message is required");
        }
        Integer maxTokens = optionalInt(root, "max_completion_tokens", "");
        if (maxTokens == null) {
            maxTokens = optionalInt(root, "max_tokens", "");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ProxyError.invalidRequest("max_tokens: must be at least 1, got " + maxTokens);
        }
        Sampling sampling = new Sampling(maxTokens,
                inRange(optionalNumber(root, "temperature", ""), "temperature", 0, 2),
                inRange(optionalNumber(root, "top_p", ""), "top_p", 0, 1),
                null,
                stop(root.get("stop")),
                optionalInt(root, "seed", ""));
        JsonNode streamOptions = root.get("stream_options");
        boolean includeUsage = streamOptions instanceof ObjectNode options
                && optionalBoolean(options, "include_usage", "stream_options", false);
        ChatRequest request = new ChatRequest(model, system, messages, tools(root), toolChoice(root.get("tool_choice")),
                sampling, thinking(root), format(root.get("response_format")),
                optionalBoolean(root, "stream", "", false), new Conversation(user(root), null));
        return new Decoded(request, includeUsage);
    }

    private void message(JsonNode raw, String path, List<Block> system, List<Message> messages) {
        ObjectNode node = object(raw, path);
        String role = requiredString(node, "role", path);
        switch (role) {
            case "system", "developer" -> {
                List<Block> text = textParts(node.get("content"), path + ".content");
                if (messages.isEmpty()) {
                    system.addAll(text);
                } else {
                    messages.add(new Message(Role.SYSTEM, text));
                }
            }
            case "user" -> messages.add(new Message(Role.USER, userContent(node.get("content"), path + ".content")));
            case "assistant" -> messages.add(new Message(Role.ASSISTANT, assistantContent(node, path)));
            case "tool" -> {
                Message.addToolResult(messages, new Block.ToolResult(requiredString(node, "tool_call_id", path),
                        textParts(node.get("content"), path + ".content"), false));
            }
            default -> throw ProxyError.invalidRequest(path + ".role: expected 'system', 'developer', 'user', "
                    + "'assistant' or 'tool', got '" + role + "'");
        }
    }

    private List<Block> assistantContent(ObjectNode node, String path) {
        List<Block> blocks = new ArrayList<>();
        String reasoning = optionalString(node, "reasoning_content", path);
        if (reasoning == null) {
            reasoning = optionalString(node, "reasoning", path);
        }
        if (reasoning != null && !reasoning.isEmpty()) {
            blocks.add(new Block.Reasoning(reasoning, ""));
        }
        JsonNode content = node.get("content");
        if (content != null && !content.isNull()) {
            blocks.addAll(textParts(content, path + ".content"));
        }
        List<JsonNode> calls = optionalArray(node, "tool_calls", path);
        for (int i = 0; i < calls.size(); i++) {
            String callPath = path + ".tool_calls[" + i + "]";
            ObjectNode call = object(calls.get(i), callPath);
            ObjectNode function = object(call.get("function"), callPath + ".function");
            blocks.add(new Block.ToolUse(requiredString(call, "id", callPath),
                    requiredString(function, "name", callPath + ".function"),
                    arguments(function.get("arguments"), callPath + ".function.arguments")));
        }
        if (blocks.isEmpty() && (content == null || content.isNull())) {
            throw ProxyError.invalidRequest(path + ".content: required unless the message has tool_calls");
        }
        return blocks;
    }

    /** OpenAI sends arguments as a JSON string; an empty string means no arguments. */
    private static ObjectNode arguments(JsonNode raw, String path) {
        if (raw == null || raw.isNull() || raw.isTextual() && raw.textValue().isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (raw instanceof ObjectNode object) {
            return object;
        }
        if (!raw.isTextual()) {
            throw wrongType(path, "a JSON string", raw);
        }
        try {
            JsonNode parsed = OpenAiJson.MAPPER.readTree(raw.textValue());
            if (parsed instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw ProxyError.invalidRequest(path + ": must be a JSON object encoded as a string, got " + abbreviate(raw.textValue()));
    }

    private List<Block> userContent(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            throw missing(path);
        }
        if (content.isTextual()) {
            return List.of(new Block.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of content parts", content);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String partPath = path + "[" + i + "]";
            ObjectNode part = object(content.get(i), partPath);
            String type = requiredString(part, "type", partPath);
            switch (type) {
                case "text" -> blocks.add(new Block.Text(requiredString(part, "text", partPath)));
                case "image_url" -> blocks.add(image(part.get("image_url"), partPath + ".image_url"));
                default -> throw ProxyError.invalidRequest(partPath + ".type: content parts of type '" + type
                        + "' are not supported by this proxy");
            }
        }
        return blocks;
    }

    /** Only data URLs: the proxy never fetches images. */
    private static Block image(JsonNode raw, String path) {
        String url = raw instanceof TextNode text ? text.textValue() : requiredString(object(raw, path), "url", path);
        if (!url.startsWith("data:")) {
            throw ProxyError.invalidRequest(path + ".url: image URLs are not supported; send the image as a base64"
                    + " data URL (this proxy never fetches URLs)");
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !header.endsWith(";base64")) {
            throw ProxyError.invalidRequest(path + ".url: expected data:<media type>;base64,<data>");
        }
        String mediaType = header.substring(0, header.length() - ";base64".length());
        return new Block.Image(mediaType.isEmpty() ? "image/png" : mediaType, url.substring(comma + 1));
    }

    private static List<Block> textParts(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            return List.of();
        }
        if (content.isTextual()) {
            return List.of(new Block.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of text parts", content);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < content.size(); i++) {
            String partPath = path + "[" + i + "]";
            ObjectNode part = object(content.get(i), partPath);
            String type = requiredString(part, "type", partPath);
            if (!type.equals("text")) {
                throw ProxyError.invalidRequest(partPath + ".type: only text parts are allowed here, got '" + type + "'");
            }
            blocks.add(new Block.Text(requiredString(part, "text", partPath)));
        }
        return blocks;
    }

    /** OpenAI's {@code user}: a stable end-user id, the only conversation identity this dialect has. */
    private static String user(ObjectNode root) {
        String user = optionalString(root, "user", "");
        return user == null || user.isBlank() || user.length() > 200 ? null : user;
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.textValue());
        }
        if (!stop.isArray()) {
            throw wrongType("stop", "a string or an array of strings", stop);
        }
        List<String> sequences = new ArrayList<>();
        for (int i = 0; i < stop.size(); i++) {
            if (!stop.get(i).isTextual()) {
                throw wrongType("stop[" + i + "]", "a string", stop.get(i));
            }
            sequences.add(stop.get(i).textValue());
        }
        return sequences;
    }

    private static List<Tool> tools(ObjectNode root) {
        List<JsonNode> raw = optionalArray(root, "tools", "");
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String path = "tools[" + i + "]";
            ObjectNode tool = object(raw.get(i), path);
            String type = optionalString(tool, "type", path);
            if (type != null && !type.equals("function")) {
                throw ProxyError.invalidRequest(path + ".type: only 'function' tools are supported, got '" + type + "'");
            }
            ObjectNode function = object(tool.get("function"), path + ".function");
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull()) {
                object(parameters, path + ".function.parameters");
            }
            tools.add(new Tool(requiredString(function, "name", path + ".function"),
                    optionalString(function, "description", path + ".function"), parameters));
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return ToolChoice.AUTO;
        }
        if (raw.isTextual()) {
            return switch (raw.textValue()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
                case "required" -> new ToolChoice(ToolChoice.Mode.ANY, null);
                default -> throw ProxyError.invalidRequest(
                        "tool_choice: expected 'auto', 'none', 'required' or a function, got '" + raw.textValue() + "'");
            };
        }
        ObjectNode function = object(object(raw, "tool_choice").get("function"), "tool_choice.function");
        return new ToolChoice(ToolChoice.Mode.TOOL, requiredString(function, "name", "tool_choice.function"));
    }

    /**
     * {@code reasoning.effort} wins over {@code reasoning_effort}: {@code none} turns thinking off, {@code minimal}
     * is low, {@code xhigh} and above are max.
     */
    private static Thinking thinking(ObjectNode root) {
        String effort = null;
        if (root.get("reasoning") instanceof ObjectNode reasoning) {
            effort = optionalString(reasoning, "effort", "reasoning");
        }
        if (effort == null) {
            effort = optionalString(root, "reasoning_effort", "");
        }
        if (effort == null) {
            return Thinking.UNSPECIFIED;
        }
        return switch (effort.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> new Thinking(false, null);
            case "minimal", "low" -> new Thinking(true, "low");
            case "medium" -> new Thinking(true, "medium");
            case "high" -> new Thinking(true, "high");
            case "xhigh", "max", "ultra" -> new Thinking(true, "max");
            default -> throw ProxyError.invalidRequest("reasoning_effort: expected none, minimal, low, medium, high,"
                    + " xhigh or max, got '" + effort + "'");
        };
    }

    /** {@code json_object} is Ollama's {@code "json"}; {@code json_schema} passes its schema. */
    private static JsonNode format(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        ObjectNode format = object(raw, "response_format");
        String type = requiredString(format, "type", "response_format");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> TextNode.valueOf("json");
            case "json_schema" -> {
                ObjectNode schema = object(format.get("json_schema"), "response_format.json_schema");
                JsonNode inner = schema.get("schema");
                if (inner == null || inner.isNull()) {
                    throw missing("response_format.json_schema.schema");
                }
                yield object(inner, "response_format.json_schema.schema");
            }
            default -> throw ProxyError.invalidRequest(
                    "response_format.type: expected text, json_object or json_schema, got '" + type + "'");
        };
    }

    private static Double inRange(Double value, String field, double min, double max) {
        if (value != null && (value < min || value > max)) {
            throw ProxyError.invalidRequest(field + ": must be between " + (int) min + " and " + (int) max + ", got " + value);
        }
        return value;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? "'" + s + "'" : "'" + s.substring(0, 80) + "…'";
    }
}
