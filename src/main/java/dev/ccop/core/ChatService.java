package dev.ccop.core;

import java.util.List;

/**
 * What every front does with a decoded request: choose the backend model, start the answer, and — when the request
 * offers tools — make sure the calls that come back are whole and valid.
 */
public final class ChatService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChatService.class);
    private final ModelRouter router;
    private final Backend backend;
    private final TokenCounter tokens;
    private final ContextManager context;
    private final ToolArguments toolArguments = new ToolArguments();
    private final RepairStats repairStats;
    private final AnswerObserver observer;

    public ChatService(ModelRouter router, Backend backend, TokenCounter tokens, ContextManager context,
            RepairStats repairStats, AnswerObserver observer) {
        this.router = router;
        this.backend = backend;
        this.tokens = tokens;
        this.context = context;
        this.repairStats = repairStats;
        this.observer = observer;
    }

    /**
     * An answer under way; the backend model that gives it; the size of the prompt that asked for it (the client's own
     * conversation, also when the backend got a fitted one); the context edits to report (null: none asked or
     * applied).
     */
    public record Answer(ChatStream events, String model, int promptTokens, List<AppliedEdit> appliedEdits) {}

    /** Resolves the model (a 404 {@link ProxyError} when it is not installed) and prepares the upstream call. */
    public Answer open(ChatRequest request) {
        return start(resolve(request), request.model());
    }

    /** A 400 naming the first tool whose {@code input_schema} is not a JSON Schema. */
    private void checkToolSchemas(ChatRequest request) {
        for (int i = 0; i < request.tools().size(); i++) {
            Tool tool = request.tools().get(i);
            int index = i;
            toolArguments.schemaProblem(tool).ifPresent(problem -> {
                throw ProxyError.invalidRequest("tools[" + index + "] (" + tool.name() + "): input_schema is not a"
                        + " valid JSON Schema: " + problem);
            });
        }
    }

    /** The request with the backend model that answers it. */
    public ChatRequest resolve(ChatRequest request) {
        String model = router.route(request, () -> tokens.count(request));
        LOG.debug("model '{}' is answered by {}", request.model(), model);
        return request.withModel(model);
    }

    /**
     * Prepares the upstream call for a request whose model is already resolved. When the conversation was fitted to
     * the window, usage is reported against the client's own conversation: a client that compacts by usage (Claude
     * Code) then does so at its own limit, not at the model's. {@code requestedModel} is the client's name for it.
     */
    public Answer start(ChatRequest upstream, String requestedModel) {
        Answer answer = answer(upstream);
        AnswerObserver.Facts facts = new AnswerObserver.Facts(requestedModel, answer.model(),
                upstream.conversation().sessionId(), answer.appliedEdits());
        return new Answer(observer.watch(facts, answer.events()), answer.model(), answer.promptTokens(),
                answer.appliedEdits());
    }

    private Answer answer(ChatRequest upstream) {
        checkToolSchemas(upstream);
        int clientTokens = tokens.count(upstream);
        String title = SessionTitles.answer(upstream);
        if (title != null && answersTheMainTier(upstream.model())) {
            return new Answer(new LocalAnswer(title, new Usage(clientTokens, tokens.count(title))), upstream.model(),
                    clientTokens, null);
        }
        ContextManager.Prepared prepared = context.prepare(upstream, backend.contextWindow(upstream.model()),
                clientTokens);
        ChatRequest sent = prepared.request();
        ChatStream stream = backend.stream(sent, prepared.promptTokens());
        if (prepared.changed(upstream)) {
            stream = new ClientUsageStream(stream, clientTokens);
        }
        if (!sent.tools().isEmpty() && sent.toolChoice().mode() != ToolChoice.Mode.NONE) {
            stream = new ToolCallRepairStream(stream, sent.tools(), toolArguments, repairStats);
        }
        // Last, so that calls recovered from text are made unique too.
        return new Answer(new UniqueToolCalls(stream), sent.model(), clientTokens, prepared.appliedEdits());
    }

    /**
     * Whether {@code model} is the one the conversation itself runs on: a background request sent there would take
     * the conversation's place in the model's cache. A distinct {@code --small-model} has a cache of its own.
     */
    private boolean answersTheMainTier(String model) {
        try {
            return model.equals(router.mainModel(model));
        } catch (ProxyError e) {
            return false;
        }
    }

    public ModelRouter router() {
        return router;
    }
}
