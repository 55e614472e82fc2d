package dev.ccop.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.Message;
import dev.ccop.core.Sampling;
import dev.ccop.core.SystemPrompt;
import dev.ccop.core.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ChatRequest} to an Ollama {@code /api/chat} body. The output is a pure function of the request, so the same
 * conversation prefix always serialises to the same bytes (Ollama reuses its KV cache only for an identical prefix).
 * We always ask Ollama to stream: a non-streaming answer is the same stream folded.
 */
public final class OllamaRequestEncoder {
    static final String BLOCK_SEPARATOR = "\n\n";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * What the backend decided about the model, not part of the client's request: whether to pass {@code think} on,
     * whether images can be sent ({@code imageNotice} replaces each image when they cannot; null when they can), the
     * num_ctx and keep_alive to ask for (null: not sent), and whether the model lacks Ollama's tool support, so that
     * tools are described in the system prompt and calls travel as {@code <tool_call>} text (read back by
     * {@code ToolCallRepairStream}).
     */
    public record ModelSettings(boolean sendThink, String imageNotice, Integer numCtx, String keepAlive,
            boolean emulateTools) {
        public static final ModelSettings PLAIN = new ModelSettings(false, null, null, null, false);
    }

    public ObjectNode encode(ChatRequest request, ModelSettings settings) {
        ObjectNode body = JSON.objectNode();
        body.put("model", request.model());
        List<Tool> tools = offeredTools(request);
        body.set("messages", messages(request, tools, settings));
        if (!tools.isEmpty() && !settings.emulateTools()) {
            body.set("tools", tools(tools));
        }
        ObjectNode options = options(request.sampling());
        if (settings.numCtx() != null) {
            options.put("num_ctx", settings.numCtx());
        }
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        if (settings.sendThink() && request.thinking().enabled() != null) {
            if (request.thinking().enabled() && request.thinking().level() != null) {
                body.put("think", request.thinking().level());
            } else {
                body.put("think", request.thinking().enabled());
            }
        }
        if (request.format() != null) {
            body.set("format", request.format());
        }
        if (settings.keepAlive() != null) {
            body.put("keep_alive", settings.keepAlive());
        }
        body.put("stream", true);
        return body;
    }

    /** {@code none} offers no tools; {@code tool} offers only the named one. */
    private static List<Tool> offeredTools(ChatRequest request) {
        return switch (request.toolChoice().mode()) {
            case NONE -> List.of();
            case TOOL -> request.tools().stream().filter(t -> t.name().equals(request.toolChoice().toolName())).toList();
            case AUTO, ANY -> request.tools();
        };
    }

    /**
     * Ollama cannot force a tool call; for {@code any} and {@code tool} the system prompt asks for one instead (the
     * offered tools are also narrowed for {@code tool}).
     */
    private static String toolChoiceInstruction(ChatRequest request) {
        return switch (request.toolChoice().mode()) {
            case ANY -> "You must answer by calling one of the available tools.";
            case TOOL -> "You must answer by calling the tool `" + request.toolChoice().toolName() + "`.";
            case AUTO, NONE -> null;
        };
    }

    private ArrayNode messages(ChatRequest request, List<Tool> offered, ModelSettings settings) {
        ArrayNode out = JSON.arrayNode();
        StringBuilder system = new StringBuilder(Block.joinText(SystemPrompt.withoutBillingHeader(request.system())));
        if (settings.emulateTools() && !offered.isEmpty()) {
            append(system, toolProtocol(offered));
        }
        String instruction = request.tools().isEmpty() ? null : toolChoiceInstruction(request);
        if (instruction != null) {
            append(system, instruction);
        }
        if (!system.isEmpty()) {
            out.add(message("system", system.toString()));
        }
        Map<String, String> toolNamesById = new HashMap<>();
        for (Message message : request.messages()) {
            switch (message.role()) {
                case SYSTEM -> out.add(message("system", Block.joinText(message.content())));
                case ASSISTANT -> out.add(assistant(message, toolNamesById, settings));
                case USER -> user(message, toolNamesById, settings, out);
            }
        }
        return out;
    }

    private ObjectNode assistant(Message message, Map<String, String> toolNamesById, ModelSettings settings) {
        StringBuilder text = new StringBuilder(Block.joinText(message.content()));
        StringBuilder thinking = new StringBuilder();
        ArrayNode calls = JSON.arrayNode();
        for (Block block : message.content()) {
            if (block instanceof Block.Reasoning r) {
                append(thinking, r.text());
            } else if (block instanceof Block.ToolUse use) {
                toolNamesById.put(use.id(), use.name());
                ObjectNode function = JSON.objectNode().put("name", use.name());
                function.set("arguments", use.input());
                if (settings.emulateTools()) {
                    append(text, "<tool_call>\n" + function + "\n</tool_call>");
                } else {
                    calls.add(JSON.objectNode().put("id", use.id()).set("function", function));
                }
            }
        }
        ObjectNode out = message("assistant", text.toString());
        if (!thinking.isEmpty()) {
            out.put("thinking", thinking.toString());
        }
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        return out;
    }

    /** Tool results become {@code role:"tool"} messages placed before the user's own text of that turn. */
    private void user(Message message, Map<String, String> toolNamesById, ModelSettings settings, ArrayNode out) {
        List<Block> rest = new ArrayList<>();
        boolean hadToolResults = false;
        for (Block block : message.content()) {
            if (block instanceof Block.ToolResult result) {
                hadToolResults = true;
                out.add(toolMessage(result, toolNamesById.get(result.toolUseId()), settings));
            } else {
                rest.add(block);
            }
        }
        if (!rest.isEmpty() || !hadToolResults) {
            List<Block> visible = visibleContent(rest, settings);
            ObjectNode user = message("user", Block.joinText(visible));
            addImages(user, visible);
            out.add(user);
        }
    }

    private ObjectNode toolMessage(Block.ToolResult result, String toolName, ModelSettings settings) {
        List<Block> content = visibleContent(result.content(), settings);
        String text = Block.joinText(content);
        if (settings.emulateTools()) { // the model's template knows no tool role: the result is the user's words
            ObjectNode out = message("user", "<tool_response name=\"" + (toolName == null ? "" : toolName) + "\">\n"
                    + (result.isError() ? "Error: " + text : text) + "\n</tool_response>");
            addImages(out, content);
            return out;
        }
        ObjectNode out = message("tool", result.isError() ? "Error: " + text : text);
        addImages(out, content);
        if (toolName != null) {
            out.put("tool_name", toolName);
        }
        out.put("tool_call_id", result.toolUseId());
        return out;
    }

    /** For a model that cannot see, each image becomes the notice text. */
    private static List<Block> visibleContent(List<Block> blocks, ModelSettings settings) {
        if (settings.imageNotice() == null) {
            return blocks;
        }
        return blocks.stream().map(b -> b instanceof Block.Image ? new Block.Text(settings.imageNotice()) : b).toList();
    }

    private static void addImages(ObjectNode message, List<Block> blocks) {
        ArrayNode images = JSON.arrayNode();
        for (Block block : blocks) {
            if (block instanceof Block.Image image) {
                images.add(image.data());
            }
        }
        if (!images.isEmpty()) {
            message.set("images", images);
        }
    }

    /** The tools, and how to call them, in words: for models without Ollama's tool support. */
    static String toolProtocol(List<Tool> tools) {
        StringBuilder text = new StringBuilder("# Tools\n\nYou can call tools. To call one, reply with a block like this"
                + " for each call, and write nothing after your calls:\n<tool_call>\n{\"name\": \"<tool name>\", "
                + "\"arguments\": {<arguments as JSON>}}\n</tool_call>\nEach result comes back to you in a"
                + " <tool_response> block.\n\nAvailable tools:");
        for (Tool tool : tools) {
            text.append("\n").append(function(tool));
        }
        return text.toString();
    }

    private static ArrayNode tools(List<Tool> tools) {
        ArrayNode out = JSON.arrayNode();
        tools.forEach(tool -> out.add(JSON.objectNode().put("type", "function").set("function", function(tool))));
        return out;
    }

    private static ObjectNode function(Tool tool) {
        ObjectNode function = JSON.objectNode().put("name", tool.name());
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        function.set("parameters", tool.inputSchema() != null
                ? tool.inputSchema()
                : JSON.objectNode().put("type", "object").set("properties", JSON.objectNode()));
        return function;
    }

    private static ObjectNode options(Sampling sampling) {
        ObjectNode options = JSON.objectNode();
        if (sampling.maxTokens() != null) {
            options.put("num_predict", sampling.maxTokens());
        }
        if (sampling.temperature() != null) {
            options.put("temperature", sampling.temperature());
        }
        if (sampling.topP() != null) {
            options.put("top_p", sampling.topP());
        }
        if (sampling.topK() != null) {
            options.put("top_k", sampling.topK());
        }
        if (sampling.seed() != null) {
            options.put("seed", sampling.seed());
        }
        if (!sampling.stopSequences().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            sampling.stopSequences().forEach(stop::add);
        }
        return options;
    }

    private static ObjectNode message(String role, String content) {
        return JSON.objectNode().put("role", role).put("content", content);
    }


    private static void append(StringBuilder sb, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (!sb.isEmpty()) {
            sb.append(BLOCK_SEPARATOR);
        }
        sb.append(text);
    }
}
