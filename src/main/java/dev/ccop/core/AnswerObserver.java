package dev.ccop.core;

import java.util.List;

/** Sees every answer the backend gives, as it goes: metrics and the request log watch answers here. */
public interface AnswerObserver {

    /**
     * What is known of an answer when it starts: the client's model name and the backend's, the session it belongs
     * to (null: none), the context edits made (null: none).
     */
    record Facts(String requestedModel, String upstreamModel, String sessionId, List<AppliedEdit> appliedEdits) {}

    /** The stream the front reads: {@code events} itself or a stream that reads it. */
    ChatStream watch(Facts facts, ChatStream events);

    AnswerObserver NONE = (facts, events) -> events;
}
