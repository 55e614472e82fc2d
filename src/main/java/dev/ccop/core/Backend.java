package dev.ccop.core;

import java.util.List;

/** Everything a backend offers: answers, its model list, health facts, and what it knows about each model. */
public interface Backend extends ChatBackend, ModelCatalog, UpstreamInfo {

    /** Capabilities the backend reports for a model ("tools", "thinking", "vision"); empty when it cannot tell. */
    List<String> capabilities(String model);

    /** The context the model was trained for; 0 when unknown. */
    int trainedContext(String model);

    /** The context window requests to this model get. */
    int contextWindow(String model);

    /** Stops what the backend runs in the background (health checks); answers under way are not affected. */
    default void close() {
    }
}
