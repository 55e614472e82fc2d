package dev.ccop.core;

import java.util.List;

/**
 * What happens to a conversation before the backend sees it: the client's context edits, fitting into the model's
 * window, recall of earlier detail (the {@code session} package). {@link #NONE} passes requests on as they are.
 */
public interface ContextManager {

    /**
     * The request for the backend. {@code window} is the model's context window in tokens and {@code clientTokens}
     * the request's own size; throws {@link ProxyError} ({@code prompt is too long}) when it cannot be made to fit.
     */
    Prepared prepare(ChatRequest request, int window, int clientTokens);

    /**
     * The request to send and its size; {@code appliedEdits} to report to the client, null when it neither asked
     * for context editing nor had any applied.
     */
    record Prepared(ChatRequest request, int promptTokens, List<AppliedEdit> appliedEdits) {
        public boolean changed(ChatRequest original) {
            return request != original;
        }
    }

    ContextManager NONE = (request, window, clientTokens) -> new Prepared(request, clientTokens, null);
}
