package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Backend;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ModelMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model list's entries, with every field the Models API marks required ({@code max_input_tokens},
 * {@code max_tokens}, {@code capabilities}, {@code lifecycle}, …) filled from what the backend reports about the
 * model that answers, plus OpenAI's {@code object, created, owned_by} so that either SDK can read the list.
 *
 * <p>{@code max_input_tokens} is what the proxy accepts: the model's window, or the virtual window when stored
 * sessions fit longer conversations into it. {@code max_tokens} is the model's window too: Ollama stops an answer
 * when the window is full, and nothing else bounds it.
 */
public final class ModelEntries {
    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private final Backend backend;
    private final ModelMap modelMap;
    private final int virtualContext;

    /** {@code virtualContext} 0: requests are held to the model's own window. */
    public ModelEntries(Backend backend, ModelMap modelMap, int virtualContext) {
        this.backend = backend;
        this.modelMap = modelMap;
        this.virtualContext = virtualContext;
    }

    /** Claude names from the model map first (exact entries only), then every installed model. */
    List<ObjectNode> all() {
        Map<String, InstalledModel> installed = new LinkedHashMap<>();
        backend.models().forEach(m -> installed.put(m.name(), m));
        List<ObjectNode> entries = new ArrayList<>();
        modelMap.entries().forEach((from, to) -> {
            if (!from.contains("*")) {
                entries.add(entry(from, to, installed.get(to)));
            }
        });
        installed.values().forEach(m -> entries.add(entry(m.name(), m.name(), m)));
        return entries;
    }

    /** The entry for the name {@code id}, answered by the backend's {@code target}. */
    ObjectNode one(String id, String target) {
        return entry(id, target, backend.models().stream().filter(m -> m.name().equals(target)).findFirst()
                .orElse(null));
    }

    private ObjectNode entry(String id, String target, InstalledModel installed) {
        String created = installed == null || installed.modifiedAt() == null ? EPOCH : installed.modifiedAt();
        int window = backend.contextWindow(target);
        ObjectNode entry = AnthropicJson.MAPPER.createObjectNode()
                .put("type", "model")
                .put("id", id)
                .put("display_name", target.equals(id) ? id : id + " → " + target)
                .put("created_at", created)
                .put("max_input_tokens", Math.max(window, virtualContext))
                .put("max_tokens", window)
                .put("lifecycle", "active")
                .putNull("deprecated_at")
                .putNull("retires_at")
                .putNull("line");
        entry.set("capabilities", capabilities(backend.capabilities(target)));
        return entry.put("object", "model")
                .put("created", epochSeconds(created))
                .put("owned_by", backend.name());
    }

    /**
     * What a request to the model can use through the proxy: thinking and images when the model has them, the two
     * context edits the proxy applies itself; nothing that needs Anthropic's servers (batches, citations, PDFs,
     * server tools, structured outputs, compaction).
     */
    private static ObjectNode capabilities(List<String> reported) {
        boolean thinking = reported.contains("thinking");
        ObjectNode caps = AnthropicJson.MAPPER.createObjectNode();
        caps.set("batch", support(false));
        caps.set("citations", support(false));
        caps.set("code_execution", support(false));
        ObjectNode edits = support(true);
        edits.set("clear_thinking_20251015", support(true));
        edits.set("clear_tool_uses_20250919", support(true));
        edits.set("compact_20260112", support(false));
        caps.set("context_management", edits);
        ObjectNode effort = support(thinking);
        for (String level : List.of("low", "medium", "high", "max", "xhigh")) {
            effort.set(level, support(thinking));
        }
        caps.set("effort", effort);
        caps.set("image_input", support(reported.contains("vision")));
        caps.set("pdf_input", support(false));
        ObjectNode serverTools = support(false);
        serverTools.set("code_execution", support(false));
        serverTools.set("web_search", support(false));
        caps.set("server_tools", serverTools);
        caps.set("structured_outputs", support(false));
        ObjectNode thinkingCap = support(thinking);
        ObjectNode types = thinkingCap.putObject("types");
        types.set("adaptive", support(thinking));
        types.set("enabled", support(thinking));
        types.set("disabled", support(true));
        types.set("between_tools", support(false));
        caps.set("thinking", thinkingCap);
        return caps;
    }

    private static ObjectNode support(boolean supported) {
        return AnthropicJson.MAPPER.createObjectNode().put("supported", supported);
    }

    private static long epochSeconds(String rfc3339) {
        try {
            return OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
