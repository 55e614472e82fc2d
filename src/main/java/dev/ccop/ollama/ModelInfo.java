package dev.ccop.ollama;

import java.util.List;

/** What {@code /api/show} says about a model: its capabilities and the context length it was trained for (0: unknown). */
record ModelInfo(List<String> capabilities, int trainedContext) {
    static final ModelInfo UNKNOWN = new ModelInfo(List.of(), 0);

    boolean can(String capability) {
        return capabilities.contains(capability);
    }
}
