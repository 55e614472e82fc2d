package dev.ccop.core;

/**
 * What every front does with a decoded request: choose the backend model, start the answer, and — when the request
 * offers tools — make sure the calls that come back are whole and valid.
 */
public final class ChatService {
    private final ModelRouter router;
    private final ChatBackend backend;
    private final TokenCounter tokens;
    private final ToolArguments toolArguments = new ToolArguments();
    private final RepairStats repairStats = new RepairStats();

    public ChatService(ModelRouter router, ChatBackend backend, TokenCounter tokens) {
        this.router = router;
        this.backend = backend;
        this.tokens = tokens;
    }

    /** An answer under way, and the size of the prompt that asked for it. */
    public record Answer(ChatStream events, int promptTokens) {}

    /** Resolves the model (a 404 {@link ProxyError} when it is not installed) and prepares the upstream call. */
    public Answer open(ChatRequest request) {
        return start(resolve(request));
    }

    /** The request with the backend model that answers it. */
    public ChatRequest resolve(ChatRequest request) {
        return request.withModel(router.resolve(request.model()));
    }

    /** Prepares the upstream call for a request whose model is already resolved. */
    public Answer start(ChatRequest upstream) {
        int promptTokens = tokens.count(upstream);
        ChatStream stream = backend.stream(upstream, promptTokens);
        if (upstream.tools().isEmpty() || upstream.toolChoice().mode() == ToolChoice.Mode.NONE) {
            return new Answer(stream, promptTokens);
        }
        return new Answer(new ToolCallRepairStream(stream, upstream.tools(), toolArguments, repairStats), promptTokens);
    }

    public ModelRouter router() {
        return router;
    }

    public RepairStats repairStats() {
        return repairStats;
    }
}
