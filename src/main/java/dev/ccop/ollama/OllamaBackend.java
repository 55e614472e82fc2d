package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ccop.core.ChatBackend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ModelCatalog;
import dev.ccop.core.ProxyError;
import dev.ccop.core.UpstreamInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ollama's native API as the answer backend and model catalog. */
public final class OllamaBackend implements ChatBackend, ModelCatalog, UpstreamInfo {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaBackend.class);
    private static final long CATALOG_TTL_NANOS = Duration.ofSeconds(30).toNanos();

    private final OllamaClient client;
    private final Duration requestTimeout;
    private final OllamaRequestEncoder encoder = new OllamaRequestEncoder();
    private final Map<String, List<String>> capabilitiesByModel = new ConcurrentHashMap<>();

    private volatile List<InstalledModel> models;
    private volatile long modelsReadAt;

    public OllamaBackend(OllamaClient client, Duration requestTimeout) {
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        boolean sendThink = request.thinking().enabled() != null && canThink(request.model());
        byte[] body = OllamaClient.toBytes(encoder.encode(request, new OllamaRequestEncoder.ModelSettings(sendThink)));
        return new IdleTimeoutStream(new OllamaChatStream(client, body, request.model()), requestTimeout);
    }

    /**
     * Asking a model that cannot think to think is a 400 in Ollama, so {@code think} is sent only to models whose
     * {@code /api/show} capabilities include "thinking" ({@code think:false} is harmless but pointless elsewhere).
     */
    private boolean canThink(String model) {
        List<String> capabilities = capabilitiesByModel.computeIfAbsent(model, this::readCapabilities);
        if (capabilities == null) {
            capabilities = List.of();
        }
        boolean thinking = capabilities.contains("thinking");
        LOG.debug("model {} capabilities {}: think {}", model, capabilities, thinking ? "sent" : "not sent");
        return thinking;
    }

    /** The model's capabilities, or null (not cached) when Ollama could not tell us. */
    private List<String> readCapabilities(String model) {
        try {
            JsonNode show = client.postJson("/api/show", JsonNodeFactory.instance.objectNode().put("model", model), model);
            List<String> capabilities = new ArrayList<>();
            show.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            return List.copyOf(capabilities);
        } catch (ProxyError e) {
            LOG.debug("could not read capabilities of {}: {}", model, e.getMessage());
            return null;
        }
    }

    @Override
    public List<InstalledModel> models() {
        List<InstalledModel> cached = models;
        if (cached != null && System.nanoTime() - modelsReadAt < CATALOG_TTL_NANOS) {
            return cached;
        }
        return refresh();
    }

    @Override
    public List<InstalledModel> refresh() {
        JsonNode tags = client.getJson("/api/tags");
        List<InstalledModel> read = new ArrayList<>();
        for (JsonNode model : tags.path("models")) {
            List<String> capabilities = new ArrayList<>();
            model.path("capabilities").forEach(c -> capabilities.add(c.asText()));
            String name = model.path("name").asText(model.path("model").asText(""));
            if (!name.isEmpty()) {
                read.add(new InstalledModel(name, capabilities, model.path("modified_at").asText(null)));
            }
        }
        models = List.copyOf(read);
        modelsReadAt = System.nanoTime();
        return models;
    }

    @Override
    public String describeLocation() {
        return "Ollama at " + client.baseUrl();
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public String url() {
        return client.baseUrl().toString();
    }

    @Override
    public String version() {
        return client.getJson("/api/version").path("version").asText("unknown");
    }
}
