package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatService;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Ids;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.Json;
import dev.ccop.core.ModelCatalog;
import dev.ccop.core.ModelMap;
import dev.ccop.core.Passthrough;
import dev.ccop.core.ProxyError;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.TokenCounter;
import dev.ccop.server.Answers;
import dev.ccop.server.Front;
import dev.ccop.server.RequestBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Anthropic Messages API for clients: {@code /v1/messages}, {@code count_tokens} and {@code /v1/models}. */
public final class AnthropicFront implements Front {
    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private final ChatService chats;
    private final ModelMap modelMap;
    private final ModelCatalog catalog;
    private final Passthrough passthrough;
    private final TokenCounter tokens;
    private final ThinkingSigner signer;
    private final Duration pingInterval;
    private final AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();

    /** {@code passthrough} null: every request is translated for the backend. */
    public AnthropicFront(ChatService chats, ModelMap modelMap, ModelCatalog catalog, Passthrough passthrough,
            TokenCounter tokens, ThinkingSigner signer, Duration pingInterval) {
        this.chats = chats;
        this.modelMap = modelMap;
        this.catalog = catalog;
        this.passthrough = passthrough;
        this.tokens = tokens;
        this.signer = signer;
        this.pingInterval = pingInterval;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/messages", this::messages);
        routes.post("/v1/messages/count_tokens", this::countTokens);
        routes.get("/v1/models", this::listModels);
        routes.get("/v1/models/{id}", this::getModel);
    }

    @Override
    public List<String> errorPaths() {
        return List.of("/v1/");
    }

    @Override
    public void renderError(Context ctx, ProxyError error, String requestId) {
        ctx.status(error.httpStatus())
                .contentType("application/json")
                .result(Json.write(AnthropicJson.error(error, requestId)));
    }

    private void messages(Context ctx) throws IOException {
        JsonNode body = RequestBodies.json(ctx);
        ChatRequest request = withSessionHeader(ctx, decoder.decodeMessages(body));
        if (passthrough != null) {
            relay(ctx, (ObjectNode) body, request);
            return;
        }
        String messageId = Ids.messageId();
        ChatService.Answer answer = chats.open(request);
        Answers.upstreamModel(ctx, answer.model()); // the body keeps the requested name: Claude Code relies on it
        ChatStream upstream = answer.events();
        if (!request.stream()) {
            Answers.whole(ctx, upstream, new AnthropicMessageAssembler(messageId, request.model(), signer,
                    answer.appliedEdits())::add);
            return;
        }
        String requestId = RequestBodies.requestId(ctx);
        AnthropicStreamEncoder encoder = new AnthropicStreamEncoder(messageId, request.model(), answer.promptTokens(),
                requestId, signer, answer.appliedEdits());
        Answers.stream(ctx, encoder, upstream, pingInterval);
    }

    /** Claude Code names its session in a header too; the header wins over what {@code metadata} says. */
    private static ChatRequest withSessionHeader(Context ctx, ChatRequest request) {
        String header = ctx.header("X-Claude-Code-Session-Id");
        return header == null || header.isBlank() || header.length() > 200 ? request
                : request.withConversation(request.conversation().withSessionId(header.strip()));
    }

    /**
     * The request relayed unchanged but for the model; the answer is copied as it arrives. A client that hangs up
     * closes the upstream request; an upstream that breaks mid-stream still gets the stream its terminal event.
     */
    private void relay(Context ctx, ObjectNode body, ChatRequest request) throws IOException {
        String beta = ctx.header("anthropic-beta");
        String model = chats.router().resolve(request.model());
        Answers.upstreamModel(ctx, model);
        Passthrough.Relayed answer = passthrough.relay(body, model,
                beta == null ? Map.of() : Map.of("anthropic-beta", beta));
        boolean eventStream = answer.contentType().startsWith("text/event-stream");
        Answers.copy(ctx, answer.status(), answer.contentType(), answer.body(), answer.idleTimeout(),
                broken -> !eventStream ? "" : "event: error\ndata: " + Json.write(AnthropicJson.error(new ProxyError(
                        ErrorKind.API_ERROR, 502, "The Anthropic API stopped mid-answer: " + broken.getMessage()),
                        RequestBodies.requestId(ctx))) + "\n\n");
    }

    private void countTokens(Context ctx) {
        ChatRequest request = decoder.decodeCountTokens(RequestBodies.json(ctx));
        ObjectNode body = AnthropicJson.MAPPER.createObjectNode().put("input_tokens", tokens.count(request));
        ctx.contentType("application/json").result(Json.write(body));
    }

    /**
     * Claude names from the model map first (exact entries only), then every installed model, in a body that both
     * Anthropic's list shape and OpenAI's ({@code object: "list"}, entries with {@code object, created, owned_by})
     * satisfy, so either SDK can list models.
     */
    private void listModels(Context ctx) {
        List<ObjectNode> models = new ArrayList<>();
        Map<String, InstalledModel> installed = new LinkedHashMap<>();
        catalog.models().forEach(m -> installed.put(m.name(), m));
        modelMap.entries().forEach((from, to) -> {
            if (!from.contains("*")) {
                InstalledModel target = installed.get(to);
                models.add(model(from, from + " → " + to, target == null ? null : target.modifiedAt(), catalog.name()));
            }
        });
        installed.values().forEach(m -> models.add(model(m.name(), m.name(), m.modifiedAt(), catalog.name())));
        int limit = ctx.queryParam("limit") == null ? 1000 : parseLimit(ctx.queryParam("limit"));
        List<ObjectNode> page = models.subList(0, Math.min(limit, models.size()));
        ObjectNode body = AnthropicJson.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        page.forEach(data::add);
        body.put("has_more", page.size() < models.size());
        if (page.isEmpty()) {
            body.putNull("first_id").putNull("last_id");
        } else {
            body.put("first_id", page.getFirst().path("id").asText()).put("last_id", page.getLast().path("id").asText());
        }
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** Any name the proxy would answer is a model: it says which backend model answers it. */
    private void getModel(Context ctx) {
        String id = ctx.pathParam("id");
        String target = chats.router().resolve(id);
        String modifiedAt = catalog.models().stream()
                .filter(m -> m.name().equals(target)).map(InstalledModel::modifiedAt).findFirst().orElse(null);
        String displayName = target.equals(id) ? id : id + " → " + target;
        ctx.contentType("application/json").result(Json.write(model(id, displayName, modifiedAt, catalog.name())));
    }

    /** One entry both Anthropic's ({@code type, display_name, created_at}) and OpenAI's SDKs can read. */
    private static ObjectNode model(String id, String displayName, String createdAt, String ownedBy) {
        String created = createdAt == null ? EPOCH : createdAt;
        return AnthropicJson.MAPPER.createObjectNode()
                .put("type", "model")
                .put("id", id)
                .put("display_name", displayName)
                .put("created_at", created)
                .put("object", "model")
                .put("created", epochSeconds(created))
                .put("owned_by", ownedBy);
    }

    private static long epochSeconds(String rfc3339) {
        try {
            return java.time.OffsetDateTime.parse(rfc3339).toEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    private static int parseLimit(String raw) {
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProxyError.invalidRequest("limit: expected an integer from 1 to 1000, got '" + raw + "'");
    }
}
