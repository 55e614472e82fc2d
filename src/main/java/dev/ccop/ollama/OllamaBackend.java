package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ccop.core.Block;
import dev.ccop.core.ChatBackend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.ImagePolicy;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.Message;
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
    private final ImagePolicy imagesWithoutVision;
    private final OllamaRequestEncoder encoder = new OllamaRequestEncoder();
    private final Map<String, List<String>> capabilitiesByModel = new ConcurrentHashMap<>();

    private volatile List<InstalledModel> models;
    private volatile long modelsReadAt;

    public OllamaBackend(OllamaClient client, Duration requestTimeout, ImagePolicy imagesWithoutVision) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.imagesWithoutVision = imagesWithoutVision;
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        String model = request.model();
        // Capabilities are read only when a decision needs them: most requests neither think nor carry images.
        boolean sendThink = request.thinking().enabled() != null && capabilities(model).contains("thinking");
        String imageNotice = hasImages(request) && !capabilities(model).contains("vision") ? imageNotice(model) : null;
        LOG.debug("model {}: think {}, images {}", model, sendThink ? "sent" : "not sent",
                imageNotice == null ? "sent" : "replaced by a notice");
        byte[] body = OllamaClient.toBytes(encoder.encode(request,
                new OllamaRequestEncoder.ModelSettings(sendThink, imageNotice)));
        return new IdleTimeoutStream(new OllamaChatStream(client, body, model, this::forget), requestTimeout);
    }

    /**
     * Asking a model that cannot think to think is a 400 in Ollama, and images mean nothing to a model without
     * vision, so both decisions follow the model's {@code /api/show} capabilities (cached until Ollama says 404).
     */
    private List<String> capabilities(String model) {
        List<String> capabilities = capabilitiesByModel.computeIfAbsent(model, this::readCapabilities);
        return capabilities == null ? List.of() : capabilities;
    }

    private String imageNotice(String model) {
        if (imagesWithoutVision == ImagePolicy.ERROR) {
            throw ProxyError.invalidRequest("The model '" + model + "' cannot read images (its Ollama capabilities"
                    + " lack 'vision'). Use a vision model, or start the proxy with --images-without-vision notice.");
        }
        return "[An image was attached here, but the model " + model + " cannot see images, so it was left out.]";
    }

    private static boolean hasImages(ChatRequest request) {
        for (Message message : request.messages()) {
            for (Block block : message.content()) {
                if (block instanceof Block.Image || block instanceof Block.ToolResult r
                        && r.content().stream().anyMatch(Block.Image.class::isInstance)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ollama said the model does not exist: what we cached about it is stale. */
    private void forget(String model) {
        capabilitiesByModel.remove(model);
        models = null;
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
