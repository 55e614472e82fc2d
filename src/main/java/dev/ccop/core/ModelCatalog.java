package dev.ccop.core;

import java.util.List;

/** The models a backend has, newest first. Implementations cache; {@link #refresh()} forces a fresh read. */
public interface ModelCatalog {

    /** The backend's name as {@code --provider} spells it ("ollama", "openai", …): who owns these models. */
    String name();

    List<InstalledModel> models();

    List<InstalledModel> refresh();

    /** Where the models live, for messages such as "not installed in Ollama at http://…". */
    String describeLocation();

    /** How to get a missing model, e.g. "Run `ollama pull qwen3:8b`." */
    String installHint(String model);
}
