package dev.ccop.ollama;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatService;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ProxyError;
import dev.ccop.server.Answers;
import dev.ccop.server.Front;
import dev.ccop.server.RequestBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Ollama's API for Ollama clients (Open WebUI, n8n, LangChain's and LangChain4j's Ollama clients): chat and generate
 * over whichever backend is configured, and the model endpoints those clients read. Model management endpoints
 * answer with a clear Ollama-shaped error.
 */
public final class OllamaFront implements Front {
    /** The Ollama API version this front speaks (clients read it to decide which features to use). */
    static final String API_VERSION = "0.33.0";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> UNSUPPORTED = List.of("/api/pull", "/api/push", "/api/create", "/api/copy",
            "/api/delete", "/api/embed", "/api/embeddings", "/api/blobs/{digest}");

    private final ChatService chats;
    private final Backend backend;
    private final Duration pingInterval;
    private final OllamaRequestDecoder decoder = new OllamaRequestDecoder();

    public OllamaFront(ChatService chats, Backend backend, Duration pingInterval) {
        this.chats = chats;
        this.backend = backend;
        this.pingInterval = pingInterval;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/version", ctx -> json(ctx, JSON.objectNode().put("version", API_VERSION)));
        routes.head("/api/version", ctx -> ctx.contentType("application/json"));
        routes.get("/api/tags", this::tags);
        routes.head("/api/tags", ctx -> ctx.contentType("application/json"));
        routes.get("/api/ps", ctx -> {
            ObjectNode body = JSON.objectNode();
            body.putArray("models"); // the backend loads and unloads models itself; nothing to report
            json(ctx, body);
        });
        routes.post("/api/show", this::show);
        routes.post("/api/chat", ctx -> answer(ctx, decoder.decodeChat(RequestBodies.json(ctx)), false));
        routes.post("/api/generate", ctx -> answer(ctx, decoder.decodeGenerate(RequestBodies.json(ctx)), true));
        for (String path : UNSUPPORTED) {
            routes.post(path, this::unsupported);
            routes.delete(path, this::unsupported);
            routes.head(path, this::unsupported);
        }
    }

    @Override
    public String name() {
        return "ollama";
    }

    @Override
    public List<String> errorPaths() {
        return List.of("/api/");
    }

    @Override
    public void renderError(Context ctx, ProxyError error, String requestId) {
        ctx.status(error.httpStatus())
                .contentType("application/json")
                .result(JSON.objectNode().put("error", error.getMessage()).toString());
    }

    /** Answered under the name of the model that answers, which Ollama clients show. */
    private void answer(Context ctx, ChatRequest request, boolean generate) throws IOException {
        ChatService.Answer answer = chats.open(request);
        Answers.upstreamModel(ctx, answer.model());
        ChatStream upstream = answer.events();
        if (!request.stream()) {
            Answers.whole(ctx, upstream, new OllamaResponseAssembler(answer.model(), generate)::add);
            return;
        }
        Answers.stream(ctx, new OllamaStreamEncoder(answer.model(), generate), upstream, pingInterval);
    }

    /** The backend's models, with the fields Ollama clients read. */
    private void tags(Context ctx) {
        ObjectNode body = JSON.objectNode();
        ArrayNode models = body.putArray("models");
        for (InstalledModel model : backend.models()) {
            ObjectNode entry = models.addObject().put("name", model.name()).put("model", model.name())
                    .put("modified_at", model.modifiedAt() == null ? "1970-01-01T00:00:00Z" : model.modifiedAt())
                    .put("size", 0).put("digest", digest(model.name()));
            details(entry.putObject("details"));
            if (!model.capabilities().isEmpty()) {
                ArrayNode capabilities = entry.putArray("capabilities");
                model.capabilities().forEach(capabilities::add);
            }
        }
        json(ctx, body);
    }

    /** Any name the proxy would answer: its capabilities and context length as the backend reports them. */
    private void show(Context ctx) {
        ObjectNode request = (ObjectNode) RequestBodies.json(ctx);
        String name = request.path("model").asText(request.path("name").asText(""));
        if (name.isEmpty()) {
            throw ProxyError.invalidRequest("model is required");
        }
        String target;
        try {
            target = chats.router().resolve(name);
        } catch (ProxyError e) {
            throw new ProxyError(ErrorKind.NOT_FOUND, 404, "model '" + name + "' not found");
        }
        ObjectNode body = JSON.objectNode().put("license", "").put("modelfile", "").put("parameters", "")
                .put("template", "");
        details(body.putObject("details"));
        body.putObject("model_info").put("general.architecture", "proxy")
                .put("general.basename", target)
                .put("proxy.context_length", backend.contextWindow(target));
        ArrayNode capabilities = body.putArray("capabilities");
        List<String> known = backend.capabilities(target);
        (known.isEmpty() ? List.of("completion", "tools") : known).forEach(capabilities::add);
        json(ctx, body);
    }

    private void unsupported(Context ctx) {
        throw new ProxyError(ErrorKind.INVALID_REQUEST, 501, ctx.path() + " is not supported by claude-code-ollama-proxy:"
                + " models come from the configured backend (" + backend.describeLocation() + "), not from this server.");
    }

    private static void details(ObjectNode details) {
        details.put("parent_model", "").put("format", "").put("family", "").putNull("families")
                .put("parameter_size", "").put("quantization_level", "");
    }

    private static String digest(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json; charset=utf-8").result(body.toString());
    }
}
