package dev.ccop.core;

import java.util.List;

/** Sees every answer the backend gives, as it goes: metrics watch answers here. */
public interface AnswerObserver {

    /**
     * The stream the front reads: {@code events} itself or a stream that reads it. {@code requestedModel} is the
     * client's name, {@code upstreamModel} the backend's; {@code appliedEdits} the context edits made (null: none).
     */
    ChatStream watch(String requestedModel, String upstreamModel, List<AppliedEdit> appliedEdits, ChatStream events);

    AnswerObserver NONE = (requestedModel, upstreamModel, appliedEdits, events) -> events;
}
