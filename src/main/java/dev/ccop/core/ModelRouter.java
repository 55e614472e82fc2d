package dev.ccop.core;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which backend model answers a client's model name:
 * <ol>
 *   <li>an entry of the user's model map (exact, then patterns);</li>
 *   <li>a name the backend already has, unchanged;</li>
 *   <li>the Claude tiers: {@code claude-*haiku*} to the small model, other {@code claude-*} names to the default (when
 *       none is configured, the newest installed chat model), as are names the user opted in
 *       ({@code --fallback-model-for});</li>
 *   <li>any other name is a 404 that names it, says how to install it and lists installed models: the proxy never
 *       answers with a model the client did not ask for without being told to.</li>
 * </ol>
 * The answer must be installed; otherwise the client gets a 404 that says how to install it — except for haiku-tier
 * names (Claude Code's background requests), which then go to the main model.
 */
public final class ModelRouter {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelRouter.class);
    private static final Pattern HAIKU = ModelMap.globToRegex("claude-*haiku*");
    private static final Pattern CLAUDE = ModelMap.globToRegex("claude-*");
    private static final int LISTED_WHEN_MISSING = 5;

    private final ModelMap userMap;
    private final String defaultModel;
    private final String smallModel;
    private final ModelCatalog catalog;
    private final ModelMap fallbackFor;
    private final TaskRoutes routes;

    public ModelRouter(ModelMap userMap, String defaultModel, String smallModel, ModelCatalog catalog) {
        this(userMap, defaultModel, smallModel, catalog, ModelMap.empty());
    }

    /** {@code fallbackFor}: patterns of other names the default model may answer ({@code --fallback-model-for}). */
    public ModelRouter(ModelMap userMap, String defaultModel, String smallModel, ModelCatalog catalog,
            ModelMap fallbackFor) {
        this(userMap, defaultModel, smallModel, catalog, fallbackFor, TaskRoutes.none());
    }

    /** {@code routes}: rules that pick the model by the kind of request, before the name is looked at. */
    public ModelRouter(ModelMap userMap, String defaultModel, String smallModel, ModelCatalog catalog,
            ModelMap fallbackFor, TaskRoutes routes) {
        this.routes = routes;
        this.userMap = userMap;
        this.defaultModel = defaultModel;
        this.smallModel = smallModel;
        this.catalog = catalog;
        this.fallbackFor = fallbackFor;
    }

    /** The model for a request: a task route's when one matches, else the one its name resolves to. */
    public String route(ChatRequest request, java.util.function.IntSupplier promptTokens) {
        String routed = routes.pick(request, promptTokens);
        return routed != null ? resolveAny(routed) : resolve(request.model());
    }

    public TaskRoutes routes() {
        return routes;
    }

    /** Claude Code's background tier (its haiku-named model): title, topic and other quick calls. */
    public static boolean backgroundTier(String requested) {
        return HAIKU.matcher(requested).matches();
    }

    public String resolve(String requested) {
        if (!backgroundTier(requested)) {
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
        if (smallModel != null && backgroundTier(requested)) {
            return requireInstalled(smallModel, requested);
        }
        if (CLAUDE.matcher(requested).matches() || fallbackFor.lookup(requested).isPresent()) {
            return mainModel(requested);
        }
        // Pulled since the list was read?
        return match(catalog.refresh(), requested).orElseThrow(() -> notInstalled(requested));
    }

    /** A name nothing maps and the backend does not have: say so, how to get it, and what there is instead. */
    private ProxyError notInstalled(String requested) {
        List<String> installed = catalog.models().stream().filter(InstalledModel::canChat).map(InstalledModel::name)
                .toList();
        String listed = installed.isEmpty() ? "none" : String.join(", ", installed.subList(0,
                Math.min(LISTED_WHEN_MISSING, installed.size())))
                + (installed.size() > LISTED_WHEN_MISSING ? " and " + (installed.size() - LISTED_WHEN_MISSING) + " more" : "");
        return ProxyError.notFound("Model '" + requested + "' is not installed in " + catalog.describeLocation() + ". "
                + catalog.installHint(requested) + " Installed: " + listed + ". (To answer unknown names with the"
                + " default model, start the proxy with --fallback-model-for '" + requested + "' or '*'.)");
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
