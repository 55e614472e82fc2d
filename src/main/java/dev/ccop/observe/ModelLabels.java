package dev.ccop.observe;

import dev.ccop.core.ModelCatalog;
import dev.ccop.core.ModelMap;
import java.util.Locale;

/**
 * Model names as metric labels, from a bounded set: a name is kept when the model map names it exactly or the backend
 * has it installed; any other Claude name becomes its family ({@code claude-sonnet}, …), anything else
 * {@code other}. A client that invents a new name per request must not create a new time series each time.
 */
final class ModelLabels {
    static final String OTHER = "other";

    private final ModelMap modelMap;
    private final ModelCatalog catalog;

    ModelLabels(ModelMap modelMap, ModelCatalog catalog) {
        this.modelMap = modelMap;
        this.catalog = catalog;
    }

    String label(String model) {
        if (model == null || model.isEmpty()) {
            return OTHER;
        }
        if (modelMap.entries().containsKey(model) || catalog.models().stream().anyMatch(m -> m.name().equals(model))) {
            return model;
        }
        String lower = model.toLowerCase(Locale.ROOT);
        if (lower.startsWith("claude")) {
            for (String family : new String[] {"haiku", "sonnet", "opus"}) {
                if (lower.contains(family)) {
                    return "claude-" + family;
                }
            }
            return "claude";
        }
        return OTHER;
    }
}
