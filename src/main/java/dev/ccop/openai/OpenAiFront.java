package dev.ccop.openai;

import dev.ccop.core.Json;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatService;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Thinking;
import dev.ccop.server.Answers;
import dev.ccop.server.Front;
import dev.ccop.server.RequestBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The OpenAI Chat Completions API for clients: {@code POST /v1/chat/completions}, streaming and not. */
public final class OpenAiFront implements Front {
    private final ChatService chats;
    private final ModelMap thinkModels;
    private final ReasoningOutput reasoningOutput;
    private final Duration pingInterval;
    private final OpenAiRequestDecoder decoder = new OpenAiRequestDecoder();

    /**
     * @param thinkModels backend models that get {@code think: true} when the client did not say (values unused)
     */
    public OpenAiFront(ChatService chats, ModelMap thinkModels, ReasoningOutput reasoningOutput, Duration pingInterval) {
        this.chats = chats;
        this.thinkModels = thinkModels;
        this.reasoningOutput = reasoningOutput;
        this.pingInterval = pingInterval;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/v1/chat/completions", this::chatCompletions);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public List<String> errorPaths() {
        return List.of("/v1/chat/", "/v1/completions", "/v1/embeddings");
    }

    @Override
    public void renderError(Context ctx, ProxyError error, String requestId) {
        ctx.status(error.httpStatus())
                .contentType("application/json")
                .result(Json.write(OpenAiJson.error(error)));
    }

    private void chatCompletions(Context ctx) throws IOException {
        OpenAiRequestDecoder.Decoded decoded = decoder.decode(RequestBodies.json(ctx));
        ChatRequest request = chats.resolve(decoded.request());
        if (request.thinking().enabled() == null && thinkModels.lookup(request.model()).isPresent()) {
            request = request.withThinking(new Thinking(true, null));
        }
        ChatService.Answer answer = chats.start(request, decoded.request().model());
        ChatStream upstream = answer.events();
        String id = "chatcmpl-" + HexFormat.of().formatHex(randomBytes());
        long created = System.currentTimeMillis() / 1000;
        // As OpenAI answers with the concrete model behind an alias: the model that answered, not the name asked for.
        String model = answer.model();
        Answers.upstreamModel(ctx, model);
        if (!request.stream()) {
            Answers.whole(ctx, upstream, new OpenAiResponseAssembler(id, model, created, reasoningOutput)::add);
            return;
        }
        OpenAiStreamEncoder encoder =
                new OpenAiStreamEncoder(id, model, created, decoded.includeUsage(), reasoningOutput);
        Answers.stream(ctx, encoder, upstream, pingInterval);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
