package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Backend;
import dev.ccop.core.Block;
import dev.ccop.core.CachedModels;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.ImagePolicy;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.upstream.HostPool;
import dev.ccop.upstream.UpstreamHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ollama's native API as the answer backend and model catalog. */
public final class OllamaBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaBackend.class);

    /** What the proxy asks of Ollama beyond the client's request. */
    public record Settings(Duration requestTimeout, ImagePolicy imagesWithoutVision, Integer contextWindow,
            int contextCap, String keepAlive) {}

    private final OllamaHosts hosts;
    private final Settings settings;
    private final OllamaRequestEncoder encoder = new OllamaRequestEncoder();
    private final ModelInfoCache modelInfo;

    private final CachedModels models = new CachedModels(Duration.ofSeconds(30), this::readTags);

    public OllamaBackend(OllamaHosts hosts, Settings settings) {
        this.hosts = hosts;
        this.settings = settings;
        this.modelInfo = new ModelInfoCache(hosts);
    }

    @Override
    public ChatStream stream(ChatRequest request, int estimate) {
        String model = request.model();
        ModelInfo info = modelInfo.get(model);
        int window = contextWindow(info);
        if (estimate > window) {
            // The wording Claude Code recognises: it compacts the conversation and retries (docs/CLAUDE_CODE.md).
            throw ProxyError.invalidRequest("prompt is too long: " + estimate + " tokens > " + window + " maximum");
        }
        boolean sendThink = request.thinking().enabled() != null && info.can("thinking");
        // A model Ollama says cannot use tools gets them described in words; calls come back as text and are repaired.
        boolean emulateTools = !request.tools().isEmpty() && !info.capabilities().isEmpty() && !info.can("tools");
        String imageNotice = hasImages(request) && !info.can("vision") ? imageNotice(model) : null;
        LOG.debug("model {}: num_ctx {}, think {}, images {}, tools {}", model, window, sendThink ? "sent" : "not sent",
                imageNotice == null ? "sent" : "replaced by a notice", emulateTools ? "described in the prompt" : "native");
        byte[] body = OllamaClient.toBytes(encoder.encode(request, new OllamaRequestEncoder.ModelSettings(
                sendThink, imageNotice, window, settings.keepAlive(), emulateTools)));
        ChatStream chat = hosts.chat(body, model, affinityKey(request), () -> forget(model));
        return new IdleTimeoutStream(new TruncationWatch(chat, model, estimate, window), settings.requestTimeout());
    }

    /**
     * One num_ctx per model, the same on every request (a different num_ctx makes Ollama reload the model): the
     * configured one, else the model's trained context capped by {@code --context-cap}.
     */
    @Override
    public int contextWindow(String model) {
        return contextWindow(modelInfo.get(model));
    }

    private int contextWindow(ModelInfo info) {
        if (settings.contextWindow() != null) {
            return settings.contextWindow();
        }
        return info.trainedContext() > 0 ? Math.min(info.trainedContext(), settings.contextCap()) : settings.contextCap();
    }

    @Override
    public List<String> capabilities(String model) {
        return modelInfo.get(model).capabilities();
    }

    @Override
    public int trainedContext(String model) {
        return modelInfo.get(model).trainedContext();
    }

    private String imageNotice(String model) {
        if (settings.imagesWithoutVision() == ImagePolicy.ERROR) {
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
        modelInfo.forget(model);
        models.invalidate();
    }

    @Override
    public List<InstalledModel> models() {
        return models.get();
    }

    @Override
    public List<InstalledModel> refresh() {
        return models.refresh();
    }

    /** Every host's models, each name once (the first host to list it describes it). */
    private List<InstalledModel> readTags() {
        Map<String, InstalledModel> read = new LinkedHashMap<>();
        for (JsonNode tags : hosts.tags()) {
            for (JsonNode model : tags.path("models")) {
                List<String> capabilities = new ArrayList<>();
                model.path("capabilities").forEach(c -> capabilities.add(c.asText()));
                String name = model.path("name").asText(model.path("model").asText(""));
                if (!name.isEmpty()) {
                    read.putIfAbsent(name, new InstalledModel(name, capabilities, model.path("modified_at").asText(null)));
                }
            }
        }
        return List.copyOf(read.values());
    }

    /**
     * What keeps a conversation on the host that holds its KV cache: the client's session id, else its first user
     * turn (never the system prompt, which every Claude Code session shares); null for a request with neither.
     */
    static String affinityKey(ChatRequest request) {
        String session = request.conversation().sessionId();
        if (session != null) {
            return "session:" + session;
        }
        for (Message message : request.messages()) {
            if (message.role() == Role.USER) {
                return "turn:" + Block.joinText(message.content());
            }
        }
        return null;
    }

    public HostPool pool() {
        return hosts.pool();
    }

    @Override
    public List<Host> hosts() {
        List<UpstreamHost> all = hosts.pool().hosts();
        return all.size() < 2 ? List.of() : all.stream()
                .map(h -> new Host(h.url().toString(), h.state(), h.outstanding())).toList();
    }

    @Override
    public void close() {
        hosts.close();
    }

    @Override
    public String describeLocation() {
        return hosts.describe();
    }

    @Override
    public String installHint(String model) {
        return "Run `ollama pull " + model + "`.";
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public String url() {
        return hosts.url();
    }

    @Override
    public String version() {
        return hosts.getJson("/api/version").path("version").asText("unknown");
    }
}
