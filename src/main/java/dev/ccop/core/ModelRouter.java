package dev.ccop.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which backend model answers a client's model name:
 * <ol>
 *   <li>an entry of the user's model map (exact, then patterns);</li>
 *   <li>a name the backend already has, unchanged;</li>
 *   <li>the Claude tiers: {@code claude-*haiku*} to the small model, other {@code claude-*} names to the default;</li>
 *   <li>the default model; when none is configured, the newest installed chat model.</li>
 * </ol>
 * The answer must be installed; otherwise the client gets a 404 that says how to install it — except for haiku-tier
 * names (Claude Code's background requests), which then go to the main model.
 */
public final class ModelRouter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelRouter.class);
    private static final Pattern HAIKU = ModelMap.globToRegex("claude-*haiku*");

    private final ModelMap userMap;
    private final String defaultModel;
    private final String smallModel;
    private final ModelCatalog catalog;

    public ModelRouter(ModelMap userMap, String defaultModel, String smallModel, ModelCatalog catalog) {
        this.userMap = userMap;
        this.defaultModel = defaultModel;
        this.smallModel = smallModel;
        this.catalog = catalog;
    }

    public String resolve(String requested) {
        if (!HAIKU.matcher(requested).matches()) {
            return resolveAny(requested);
        }
        try {
            return resolveAny(requested);
        } catch (ProxyError e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                throw e;
            }
            // Background (haiku-tier) requests never fail for a missing small model: the main model answers them.
            String main = mainModel(requested);
            LOG.warn("{}; answering '{}' with the main model {} instead", e.getMessage(), requested, main);
            return main;
        }
    }

    /** The model that answers the main (sonnet/opus) tier. */
    public String mainModel(String requested) {
        return defaultModel != null ? requireInstalled(defaultModel, requested) : newestChatModel().orElseThrow(() ->
                noChatModel(requested));
    }

    private String resolveAny(String requested) {
        Optional<String> mapped = userMap.lookup(requested);
        if (mapped.isPresent()) {
            return requireInstalled(mapped.get(), requested);
        }
        // Only the cached list here: most requests name a Claude model that is never installed.
        if (match(catalog.models(), requested).isPresent()) {
            return requested;
        }
        if (smallModel != null && HAIKU.matcher(requested).matches()) {
            return requireInstalled(smallModel, requested);
        }
        return mainModel(requested);
    }

    /** Whether the backend has this model (after one refresh when the cached list does not have it). */
    public boolean isInstalled(String model) {
        return match(catalog.models(), model).or(() -> match(catalog.refresh(), model)).isPresent();
    }

    private ProxyError noChatModel(String requested) {
        return ProxyError.notFound("No model to answer '" + requested + "': " + catalog.describeLocation()
                + " has no chat model installed. " + catalog.installHint("qwen2.5-coder:7b") + " Or set --default-model.");
    }

    private String requireInstalled(String target, String requested) {
        Optional<String> hit = match(catalog.models(), target).or(() -> match(catalog.refresh(), target));
        if (hit.isPresent()) {
            return hit.get();
        }
        throw ProxyError.notFound("Model '" + target + "' (for '" + requested + "') is not installed in "
                + catalog.describeLocation() + ". " + catalog.installHint(target));
    }

    private Optional<String> newestChatModel() {
        List<InstalledModel> models = catalog.models().isEmpty() ? catalog.refresh() : catalog.models();
        return models.stream().filter(InstalledModel::canChat).map(InstalledModel::name).findFirst();
    }

    private static Optional<String> match(List<InstalledModel> models, String name) {
        String wanted = withTag(name);
        return models.stream().map(InstalledModel::name).filter(m -> withTag(m).equals(wanted)).findFirst();
    }

    /** Ollama treats {@code llama3} and {@code llama3:latest} as the same model. */
    static String withTag(String name) {
        int slash = name.lastIndexOf('/');
        return name.indexOf(':', slash + 1) >= 0 ? name : name + ":latest";
    }
}
