package dev.ccop.core;

/**
 * What a request says about the conversation it belongs to: the client's session id (null: a stateless request) and
 * the context edits it asks for (null when it sent no {@code context_management}).
 */
public record Conversation(String sessionId, ContextEdits edits) {
    public static final Conversation NONE = new Conversation(null, null);

    public Conversation withSessionId(String id) {
        return new Conversation(id, edits);
    }
}
