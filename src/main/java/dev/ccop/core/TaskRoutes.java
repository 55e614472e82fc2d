package dev.ccop.core;

import java.util.List;
import java.util.function.IntSupplier;

/**
 * Rules that pick the model by the kind of request, before any name mapping: the first rule that matches wins.
 * Kinds: {@code background} (Claude Code's haiku-tier calls and its title and topic requests), {@code thinking}
 * (thinking asked for), {@code long-context} (a prompt over {@code overTokens}), {@code images}, {@code tools},
 * {@code no-tools}, and {@code model} (the requested name matches {@code pattern}, {@code *} a wildcard).
 */
public final class TaskRoutes {
    public static final List<String> KINDS = List.of("background", "thinking", "long-context", "images", "tools",
            "no-tools", "model");

    /** One rule: when a request is of {@code kind}, {@code model} answers it. */
    public record Rule(String kind, int overTokens, String pattern, String model) {}

    private final List<Rule> rules;
    private final List<ModelMap> patterns; // per rule: its name pattern, for "model" rules

    public TaskRoutes(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.patterns = this.rules.stream().map(r -> r.pattern() == null ? ModelMap.empty()
                : ModelMap.of(java.util.Map.of(r.pattern(), r.model()))).toList();
    }

    public static TaskRoutes none() {
        return new TaskRoutes(List.of());
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The model the first matching rule names, or null; {@code promptTokens} is asked only by a long-context rule. */
    public String pick(ChatRequest request, IntSupplier promptTokens) {
        for (int i = 0; i < rules.size(); i++) {
            if (matches(rules.get(i), patterns.get(i), request, promptTokens)) {
                return rules.get(i).model();
            }
        }
        return null;
    }

    private static boolean matches(Rule rule, ModelMap pattern, ChatRequest request, IntSupplier promptTokens) {
        return switch (rule.kind()) {
            case "background" -> ModelRouter.backgroundTier(request.model()) || SessionTitles.answer(request) != null;
            case "thinking" -> Boolean.TRUE.equals(request.thinking().enabled());
            case "long-context" -> promptTokens.getAsInt() > rule.overTokens();
            case "images" -> request.messages().stream().flatMap(m -> m.content().stream())
                    .anyMatch(b -> b instanceof Block.Image || b instanceof Block.ToolResult r
                            && r.content().stream().anyMatch(Block.Image.class::isInstance));
            case "tools" -> !request.tools().isEmpty();
            case "no-tools" -> request.tools().isEmpty();
            case "model" -> pattern.lookup(request.model()).isPresent();
            default -> false;
        };
    }
}
