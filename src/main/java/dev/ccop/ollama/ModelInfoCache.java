package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ccop.core.ProxyError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/show} read once per model and kept until Ollama says the model is gone. */
final class ModelInfoCache {
    private static final Logger LOG = LoggerFactory.getLogger(ModelInfoCache.class);

    private final OllamaHosts client;
    /** Futures, so that the call to Ollama happens outside the map's locks and callers for one model share it. */
    private final Map<String, CompletableFuture<ModelInfo>> byModel = new ConcurrentHashMap<>();

    ModelInfoCache(OllamaHosts client) {
        this.client = client;
    }

    /** The model's info; {@link ModelInfo#UNKNOWN} (not cached) when Ollama cannot tell. */
    ModelInfo get(String model) {
        CompletableFuture<ModelInfo> mine = new CompletableFuture<>();
        CompletableFuture<ModelInfo> known = byModel.putIfAbsent(model, mine);
        if (known != null) {
            return known.join();
        }
        ModelInfo info = null;
        try {
            info = read(model);
        } finally {
            if (info == null) {
                byModel.remove(model, mine); // not cached: asked again next time
            }
            mine.complete(info == null ? ModelInfo.UNKNOWN : info);
        }
        return info;
    }

    void forget(String model) {
        byModel.remove(model);
    }

    private ModelInfo read(String model) {
        JsonNode show;
        try {
            show = client.postJson("/api/show", JsonNodeFactory.instance.objectNode().put("model", model), model);
        } catch (ProxyError e) {
            LOG.debug("could not read /api/show for {}: {}", model, e.getMessage());
            return null;
        }
        List<String> capabilities = new ArrayList<>();
        show.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        // model_info is flat GGUF metadata: "<architecture>.context_length".
        JsonNode info = show.path("model_info");
        int context = info.path(info.path("general.architecture").asText("") + ".context_length").asInt(0);
        ModelInfo read = new ModelInfo(List.copyOf(capabilities), context);
        LOG.debug("model {}: capabilities {}, trained context {}", model, capabilities, context);
        return read;
    }
}
