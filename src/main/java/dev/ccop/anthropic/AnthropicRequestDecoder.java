package dev.ccop.anthropic;

import static dev.ccop.core.JsonInput.join;
import static dev.ccop.core.JsonInput.missing;
import static dev.ccop.core.JsonInput.object;
import static dev.ccop.core.JsonInput.optionalArray;
import static dev.ccop.core.JsonInput.optionalBoolean;
import static dev.ccop.core.JsonInput.optionalInt;
import static dev.ccop.core.JsonInput.optionalNumber;
import static dev.ccop.core.JsonInput.optionalString;
import static dev.ccop.core.JsonInput.optionalStringList;
import static dev.ccop.core.JsonInput.requiredString;
import static dev.ccop.core.JsonInput.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.AppliedEdit;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ContextEdits;
import dev.ccop.core.Conversation;
import dev.ccop.core.Json;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.Sampling;
import dev.ccop.core.Thinking;
import dev.ccop.core.Tool;
import dev.ccop.core.ToolChoice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Anthropic Messages request body to {@link ChatRequest}. Unknown top-level fields are ignored; known fields with the
 * wrong type are a 400 naming the field. {@code metadata.user_id} and {@code context_management} become the
 * request's {@link Conversation}.
 */
public final class AnthropicRequestDecoder {

    /** For {@code /v1/messages}: {@code max_tokens} is required. */
    public ChatRequest decodeMessages(JsonNode body) {
        ObjectNode root = object(body, "body");
        Integer maxTokens = optionalInt(root, "max_tokens", "");
        if (maxTokens == null) {
            throw missing("max_tokens");
        }
        if (maxTokens < 1) {
            throw ProxyError.invalidRequest("max_tokens: must be at least 1, got " + maxTokens);
        }
        return decode(root, maxTokens);
    }

    /** For {@code /v1/messages/count_tokens}: the same body without {@code max_tokens}. */
    public ChatRequest decodeCountTokens(JsonNode body) {
        return decode(object(body, "body"), null);
    }

    private ChatRequest decode(ObjectNode root, Integer maxTokens) {
        String model = requiredString(root, "model", "");
        if (!root.has("messages") || root.get("messages").isNull()) {
            throw missing("messages");
        }
        List<Message> messages = new ArrayList<>();
        Set<String> loadedTools = new HashSet<>();
        List<JsonNode> rawMessages = optionalArray(root, "messages", "");
        for (int i = 0; i < rawMessages.size(); i++) {
            messages.add(message(rawMessages.get(i), "messages[" + i + "]", loadedTools));
        }
        if (messages.isEmpty()) {
            throw ProxyError.invalidRequest("messages: at least one message is required");
        }
        Sampling sampling = new Sampling(
                maxTokens,
                inRange(optionalNumber(root, "temperature", ""), "temperature", 0, 1),
                inRange(optionalNumber(root, "top_p", ""), "top_p", 0, 1),
                optionalInt(root, "top_k", ""),
                optionalStringList(root, "stop_sequences", ""),
                null);
        return new ChatRequest(
                model,
                system(root.get("system")),
                messages,
                tools(root, loadedTools),
                toolChoice(root.get("tool_choice")),
                sampling,
                thinking(root),
                null,
                optionalBoolean(root, "stream", "", false),
                new Conversation(sessionId(root.get("metadata")), contextEdits(root.get("context_management"))));
    }

    /**
     * Claude Code puts a JSON string in {@code metadata.user_id} whose {@code session_id} names its session; anything
     * else there (another client's opaque user id) names no session.
     */
    static String sessionId(JsonNode metadata) {
        JsonNode userId = metadata == null ? null : metadata.get("user_id");
        if (userId == null || !userId.isTextual() || !userId.textValue().startsWith("{")) {
            return null;
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(userId.textValue());
            String id = parsed.path("session_id").asText("");
            return id.isBlank() || id.length() > 200 ? null : id;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /** {@code context_management.edits}: the two edit types Anthropic documents, with their parameters. */
    static ContextEdits contextEdits(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        ObjectNode management = object(raw, "context_management");
        ContextEdits.ClearToolUses toolUses = null;
        ContextEdits.ClearThinking thinking = null;
        List<JsonNode> edits = optionalArray(management, "edits", "context_management");
        for (int i = 0; i < edits.size(); i++) {
            String path = "context_management.edits[" + i + "]";
            ObjectNode edit = object(edits.get(i), path);
            String type = requiredString(edit, "type", path);
            switch (type) {
                case AppliedEdit.CLEAR_TOOL_USES -> toolUses = new ContextEdits.ClearToolUses(
                        amount(edit, "trigger", "input_tokens", path, ContextEdits.ClearToolUses.DEFAULT_TRIGGER),
                        amount(edit, "keep", "tool_uses", path, ContextEdits.ClearToolUses.DEFAULT_KEEP),
                        amount(edit, "clear_at_least", "input_tokens", path, 0),
                        optionalStringList(edit, "exclude_tools", path),
                        edit.path("clear_tool_inputs").isArray() || edit.path("clear_tool_inputs").asBoolean(false),
                        edit.path("clear_tool_inputs").isArray()
                                ? optionalStringList(edit, "clear_tool_inputs", path) : null);
                case AppliedEdit.CLEAR_THINKING -> thinking = new ContextEdits.ClearThinking(
                        edit.path("keep").isTextual() && edit.path("keep").textValue().equals("all") ? null
                                : amount(edit, "keep", "thinking_turns", path, 1));
                default -> throw ProxyError.invalidRequest(path + ".type: expected " + AppliedEdit.CLEAR_TOOL_USES
                        + " or " + AppliedEdit.CLEAR_THINKING + ", got '" + type + "'");
            }
        }
        return new ContextEdits(toolUses, thinking);
    }

    /** {@code {"type": unit, "value": n}}, or the default when absent. */
    private static int amount(ObjectNode edit, String field, String unit, String path, int fallback) {
        JsonNode raw = edit.get(field);
        if (raw == null || raw.isNull()) {
            return fallback;
        }
        ObjectNode amount = object(raw, path + "." + field);
        String type = requiredString(amount, "type", path + "." + field);
        if (!type.equals(unit)) {
            throw ProxyError.invalidRequest(path + "." + field + ".type: expected '" + unit + "', got '" + type + "'");
        }
        Integer value = optionalInt(amount, "value", path + "." + field);
        if (value == null || value < 0) {
            throw ProxyError.invalidRequest(path + "." + field + ".value: expected a whole number of at least 0");
        }
        return value;
    }

    /** The ranges Anthropic's API enforces; a client written for it expects the same 400. */
    private static Double inRange(Double value, String field, double min, double max) {
        if (value != null && (value < min || value > max)) {
            throw ProxyError.invalidRequest(field + ": must be between " + (int) min + " and " + (int) max + ", got " + value);
        }
        return value;
    }

    private List<Block> system(JsonNode system) {
        if (system == null || system.isNull()) {
            return List.of();
        }
        if (system.isTextual()) {
            return system.textValue().isEmpty() ? List.of() : List.of(new Block.Text(system.textValue()));
        }
        if (!system.isArray()) {
            throw wrongType("system", "a string or an array of text blocks", system);
        }
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < system.size(); i++) {
            String path = "system[" + i + "]";
            JsonNode block = object(system.get(i), path);
            String type = requiredString(block, "type", path);
            if (!type.equals("text")) {
                throw ProxyError.invalidRequest(path + ".type: system blocks must be 'text', got '" + type + "'");
            }
            blocks.add(new Block.Text(requiredString(block, "text", path)));
        }
        return blocks;
    }

    private Message message(JsonNode raw, String path, Set<String> loadedTools) {
        ObjectNode node = object(raw, path);
        String roleName = requiredString(node, "role", path);
        Role role = switch (roleName) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "system" -> Role.SYSTEM;
            default -> throw ProxyError.invalidRequest(
                    path + ".role: expected 'user', 'assistant' or 'system', got '" + roleName + "'");
        };
        JsonNode content = node.get("content");
        if (content == null || content.isNull()) {
            throw missing(path + ".content");
        }
        return new Message(role, content(content, path + ".content", role, loadedTools));
    }

    private List<Block> content(JsonNode content, String path, Role role, Set<String> loadedTools) {
        if (content.isTextual()) {
            return List.of(new Block.Text(content.textValue()));
        }
        if (!content.isArray()) {
            throw wrongType(path, "a string or an array of content blocks", content);
        }
        List<Block> blocks = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            Block block = block(content.get(i), path + "[" + i + "]", role, loadedTools);
            if (block != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    /** One content block, or null for blocks that carry nothing a backend can use ({@code redacted_thinking}). */
    private Block block(JsonNode raw, String path, Role role, Set<String> loadedTools) {
        ObjectNode node = object(raw, path);
        String type = requiredString(node, "type", path);
        return switch (type) {
            case "text" -> new Block.Text(requiredString(node, "text", path));
            case "image" -> image(node, path);
            case "tool_use" -> new Block.ToolUse(
                    requiredString(node, "id", path),
                    requiredString(node, "name", path),
                    toolInput(node.get("input"), path + ".input"));
            case "tool_result" -> toolResult(node, path, role, loadedTools);
            case "thinking" -> new Block.Reasoning(
                    requiredString(node, "thinking", path), nullToEmpty(optionalString(node, "signature", path)));
            case "redacted_thinking" -> null;
            case "tool_reference" -> {
                String name = requiredString(node, "tool_name", path);
                loadedTools.add(name);
                yield new Block.Text("Tool loaded: " + name);
            }
            default -> throw ProxyError.invalidRequest(
                    path + ".type: content blocks of type '" + type + "' are not supported by this proxy");
        };
    }

    private Block toolResult(ObjectNode node, String path, Role role, Set<String> loadedTools) {
        if (role != Role.USER) {
            throw ProxyError.invalidRequest(path + ": tool_result blocks belong in user messages");
        }
        String id = requiredString(node, "tool_use_id", path);
        boolean isError = optionalBoolean(node, "is_error", path, false);
        JsonNode content = node.get("content");
        List<Block> blocks;
        if (content == null || content.isNull()) {
            blocks = List.of();
        } else {
            blocks = content(content, path + ".content", role, loadedTools);
            for (int i = 0; i < blocks.size(); i++) {
                if (blocks.get(i) instanceof Block.ToolResult || blocks.get(i) instanceof Block.ToolUse) {
                    throw ProxyError.invalidRequest(path + ".content[" + i + "]: only text and image blocks may stand "
                            + "inside a tool_result");
                }
            }
        }
        return new Block.ToolResult(id, blocks, isError);
    }

    private Block image(ObjectNode node, String path) {
        JsonNode source = node.get("source");
        if (source == null || source.isNull()) {
            throw missing(path + ".source");
        }
        String sourcePath = path + ".source";
        String sourceType = requiredString(object(source, sourcePath), "type", sourcePath);
        if (!sourceType.equals("base64")) {
            throw ProxyError.invalidRequest(sourcePath + ".type: '" + sourceType + "' images are not supported; "
                    + "send the image as base64 (this proxy never fetches URLs)");
        }
        return new Block.Image(
                requiredString(source, "media_type", sourcePath), requiredString(source, "data", sourcePath));
    }

    private static ObjectNode toolInput(JsonNode input, String path) {
        if (input == null || input.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        return object(input, path);
    }

    /**
     * The tools the model may call now. A tool marked {@code defer_loading} (Claude Code's tool search) becomes
     * callable only once a {@code tool_reference} in the conversation has loaded it, as with Anthropic's API.
     */
    private List<Tool> tools(ObjectNode root, Set<String> loaded) {
        List<JsonNode> raw = optionalArray(root, "tools", "");
        List<Tool> tools = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String path = "tools[" + i + "]";
            ObjectNode tool = object(raw.get(i), path);
            JsonNode schema = tool.get("input_schema");
            if (schema != null && !schema.isNull()) {
                object(schema, join(path, "input_schema"));
            }
            String name = requiredString(tool, "name", path);
            if (optionalBoolean(tool, "defer_loading", path, false) && !loaded.contains(name)) {
                continue;
            }
            tools.add(new Tool(name, optionalString(tool, "description", path), schema));
        }
        return tools;
    }

    private ToolChoice toolChoice(JsonNode raw) {
        if (raw == null || raw.isNull()) {
            return ToolChoice.AUTO;
        }
        ObjectNode node = object(raw, "tool_choice");
        String type = requiredString(node, "type", "tool_choice");
        return switch (type) {
            case "auto" -> ToolChoice.AUTO;
            case "any" -> new ToolChoice(ToolChoice.Mode.ANY, null);
            case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null);
            case "tool" -> new ToolChoice(ToolChoice.Mode.TOOL, requiredString(node, "name", "tool_choice"));
            default -> throw ProxyError.invalidRequest(
                    "tool_choice.type: expected 'auto', 'any', 'tool' or 'none', got '" + type + "'");
        };
    }

    /**
     * {@code thinking.type} enabled/disabled decides; otherwise {@code output_config.effort} names a level
     * ({@code xhigh} counts as high); otherwise the backend decides.
     */
    private Thinking thinking(ObjectNode root) {
        JsonNode thinking = root.get("thinking");
        if (thinking != null && !thinking.isNull()) {
            String type = requiredString(object(thinking, "thinking"), "type", "thinking");
            if (type.equals("enabled")) {
                return new Thinking(true, null);
            }
            if (type.equals("disabled")) {
                return new Thinking(false, null);
            }
        }
        JsonNode outputConfig = root.get("output_config");
        if (outputConfig instanceof ObjectNode config) {
            String effort = optionalString(config, "effort", "output_config");
            if (effort != null) {
                String level = effort.trim().toLowerCase(Locale.ROOT);
                level = level.equals("xhigh") ? "high" : level;
                if (List.of("low", "medium", "high", "max").contains(level)) {
                    return new Thinking(true, level);
                }
            }
        }
        return Thinking.UNSPECIFIED;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
