package dev.ccop.ollama;

import static dev.ccop.core.JsonInput.object;
import static dev.ccop.core.JsonInput.optionalArray;
import static dev.ccop.core.JsonInput.optionalBoolean;
import static dev.ccop.core.JsonInput.optionalInt;
import static dev.ccop.core.JsonInput.optionalNumber;
import static dev.ccop.core.JsonInput.optionalString;
import static dev.ccop.core.JsonInput.requiredString;
import static dev.ccop.core.JsonInput.wrongType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Conversation;
import dev.ccop.core.Ids;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.Sampling;
import dev.ccop.core.Thinking;
import dev.ccop.core.Tool;
import dev.ccop.core.ToolChoice;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Ollama {@code /api/chat} and {@code /api/generate} requests to {@link ChatRequest}, for Ollama clients (Open WebUI,
 * n8n, LangChain) that the proxy serves. Streams unless {@code "stream": false}, as Ollama does.
 */
public final class OllamaRequestDecoder {
    /** Ollama generates until the context is full when num_predict is absent; a bounded default suits every backend. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    public ChatRequest decodeChat(JsonNode body) {
        ObjectNode root = object(body, "body");
        String model = requiredString(root, "model", "");
        List<Message> messages = new ArrayList<>();
        List<Block> system = new ArrayList<>();
        List<JsonNode> raw = optionalArray(root, "messages", "");
        List<Block.ToolUse> calls = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            message(raw.get(i), "messages[" + i + "]", system, messages, calls);
        }
        if (messages.isEmpty()) {
            throw ProxyError.invalidRequest("messages: at least one user, assistant or tool message is required");
        }
        return new ChatRequest(model, system, messages, tools(root), ToolChoice.AUTO, sampling(root), thinking(root),
                format(root.get("format")), optionalBoolean(root, "stream", "", true), Conversation.NONE);
    }

    public ChatRequest decodeGenerate(JsonNode body) {
        ObjectNode root = object(body, "body");
        String model = requiredString(root, "model", "");
        String prompt = optionalString(root, "prompt", "");
        if (prompt == null || prompt.isEmpty()) {
            throw ProxyError.invalidRequest("prompt: required (loading a model with an empty prompt is not supported)");
        }
        List<Block> content = new ArrayList<>(images(root, ""));
        content.add(new Block.Text(prompt));
        String systemText = optionalString(root, "system", "");
        List<Block> system = systemText == null || systemText.isEmpty() ? List.of() : List.of(new Block.Text(systemText));
        return new ChatRequest(model, system, List.of(new Message(Role.USER, content)), List.of(), ToolChoice.AUTO,
                sampling(root), thinking(root), format(root.get("format")), optionalBoolean(root, "stream", "", true),
                Conversation.NONE);
    }

    private void message(JsonNode raw, String path, List<Block> system, List<Message> messages, List<Block.ToolUse> calls) {
        ObjectNode node = object(raw, path);
        String role = requiredString(node, "role", path).toLowerCase();
        String text = optionalString(node, "content", path);
        List<Block> content = new ArrayList<>();
        switch (role) {
            case "system" -> {
                if (text != null && !text.isEmpty()) {
                    if (messages.isEmpty()) {
                        system.add(new Block.Text(text));
                    } else {
                        messages.add(new Message(Role.SYSTEM, List.of(new Block.Text(text))));
                    }
                }
            }
            case "user" -> {
                content.addAll(images(node, path));
                if (text != null) {
                    content.add(new Block.Text(text));
                }
                messages.add(new Message(Role.USER, content));
            }
            case "assistant" -> {
                String thinking = optionalString(node, "thinking", path);
                if (thinking != null && !thinking.isEmpty()) {
                    content.add(new Block.Reasoning(thinking, ""));
                }
                if (text != null && !text.isEmpty()) {
                    content.add(new Block.Text(text));
                }
                List<JsonNode> toolCalls = optionalArray(node, "tool_calls", path);
                for (int i = 0; i < toolCalls.size(); i++) {
                    String callPath = path + ".tool_calls[" + i + "]";
                    ObjectNode call = object(toolCalls.get(i), callPath);
                    ObjectNode function = object(call.get("function"), callPath + ".function");
                    String id = optionalString(call, "id", callPath);
                    Block.ToolUse use = new Block.ToolUse(id == null || id.isEmpty() ? Ids.toolUseId() : id,
                            requiredString(function, "name", callPath + ".function"),
                            arguments(function.get("arguments"), callPath + ".function.arguments"));
                    calls.add(use);
                    content.add(use);
                }
                messages.add(new Message(Role.ASSISTANT, content));
            }
            case "tool" -> {
                String id = toolCallId(node, path, calls);
                Message.addToolResult(messages,
                        new Block.ToolResult(id, List.of(new Block.Text(text == null ? "" : text)), false));
            }
            default -> throw ProxyError.invalidRequest(
                    path + ".role: expected system, user, assistant or tool, got '" + role + "'");
        }
    }

    /** {@code tool_call_id} when the client sends it, else the latest call of the tool named in {@code tool_name}. */
    private static String toolCallId(ObjectNode node, String path, List<Block.ToolUse> calls) {
        String id = optionalString(node, "tool_call_id", path);
        if (id != null && !id.isEmpty()) {
            return id;
        }
        String name = optionalString(node, "tool_name", path);
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (name == null || calls.get(i).name().equals(name)) {
                return calls.get(i).id();
            }
        }
        throw ProxyError.invalidRequest(path + ": a tool message must answer an earlier tool call (tool_call_id or tool_name)");
    }

    private static ObjectNode arguments(JsonNode raw, String path) {
        if (raw == null || raw.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        return object(raw, path);
    }

    /** Ollama images are bare base64; the media type is read from the bytes' signature. */
    private static List<Block> images(ObjectNode node, String path) {
        List<JsonNode> raw = optionalArray(node, "images", path);
        List<Block> images = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String imagePath = path.isEmpty() ? "images[" + i + "]" : path + ".images[" + i + "]";
            if (!raw.get(i).isTextual()) {
                throw wrongType(imagePath, "a base64 string", raw.get(i));
            }
            String data = raw.get(i).textValue();
            byte[] head;
            try {
                head = Base64.getDecoder().decode(data.substring(0, Math.min(data.length(), 16)));
            } catch (IllegalArgumentException e) {
                throw ProxyError.invalidRequest(imagePath + ": invalid base64 image data");
            }
            images.add(new Block.Image(mediaType(head), data));
        }
        return images;
    }

    static String mediaType(byte[] head) {
        if (head.length >= 3 && (head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8) {
            return "image/jpeg";
        }
        if (head.length >= 4 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
            return "image/gif";
        }
        if (head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[8] == 'W' && head[9] == 'E') {
            return "image/webp";
        }
        return "image/png";
    }

    private static List<Tool> tools(ObjectNode root) {
        List<JsonNode> raw = optionalArray(root, "tools", "");
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String path = "tools[" + i + "]";
            ObjectNode function = object(object(raw.get(i), path).get("function"), path + ".function");
            tools.add(new Tool(requiredString(function, "name", path + ".function"),
                    optionalString(function, "description", path + ".function"), function.get("parameters")));
        }
        return tools;
    }

    private static Sampling sampling(ObjectNode root) {
        JsonNode raw = root.get("options");
        if (raw == null || raw.isNull()) {
            return new Sampling(DEFAULT_MAX_TOKENS, null, null, null, List.of(), null);
        }
        ObjectNode options = object(raw, "options");
        Integer numPredict = optionalInt(options, "num_predict", "options");
        List<String> stop = new ArrayList<>();
        JsonNode rawStop = options.get("stop");
        if (rawStop != null && rawStop.isTextual()) {
            stop.add(rawStop.textValue());
        } else if (rawStop != null && rawStop.isArray()) {
            rawStop.forEach(s -> stop.add(s.asText()));
        }
        return new Sampling(numPredict == null || numPredict < 1 ? DEFAULT_MAX_TOKENS : numPredict,
                optionalNumber(options, "temperature", "options"), optionalNumber(options, "top_p", "options"),
                optionalInt(options, "top_k", "options"), stop, optionalInt(options, "seed", "options"));
    }

    /** {@code think}: a boolean, or a level ({@code low}, {@code medium}, {@code high}, {@code max}). */
    private static Thinking thinking(ObjectNode root) {
        JsonNode think = root.get("think");
        if (think == null || think.isNull()) {
            return Thinking.UNSPECIFIED;
        }
        if (think.isBoolean()) {
            return new Thinking(think.booleanValue(), null);
        }
        if (think.isTextual() && List.of("low", "medium", "high", "max").contains(think.textValue())) {
            return new Thinking(true, think.textValue());
        }
        throw ProxyError.invalidRequest("invalid think value: " + think + " (expected true, false, low, medium, high or max)");
    }

    private static JsonNode format(JsonNode format) {
        if (format == null || format.isNull() || format.isTextual() && format.textValue().isEmpty()) {
            return null;
        }
        if (format.isTextual() && format.textValue().equals("json") || format.isObject()) {
            return format;
        }
        throw ProxyError.invalidRequest("format: expected \"json\" or a JSON schema object");
    }

}
