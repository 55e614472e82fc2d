package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatService;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Ids;
import dev.ccop.core.Json;
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
import java.util.List;
import java.util.Map;

/** The Anthropic Messages API for clients: {@code /v1/messages}, {@code count_tokens} and {@code /v1/models}. */
public final class AnthropicFront implements Front {
    private final ChatService chats;
    private final ModelEntries modelEntries;
    private final Passthrough passthrough;
    private final TokenCounter tokens;
    private final ThinkingSigner signer;
    private final Duration pingInterval;
    private final AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();

    /** {@code passthrough} null: every request is translated for the backend. */
    public AnthropicFront(ChatService chats, ModelEntries modelEntries, Passthrough passthrough,
            TokenCounter tokens, ThinkingSigner signer, Duration pingInterval) {
        this.chats = chats;
        this.modelEntries = modelEntries;
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
    public String name() {
        return "anthropic";
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

    /** Entries in a body that both Anthropic's list shape and OpenAI's ({@code object: "list"}) satisfy. */
    private void listModels(Context ctx) {
        List<ObjectNode> models = modelEntries.all();
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
        ctx.contentType("application/json").result(Json.write(modelEntries.one(id, chats.router().resolve(id))));
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
