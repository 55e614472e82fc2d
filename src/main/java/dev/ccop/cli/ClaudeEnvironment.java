package dev.ccop.cli;

import dev.ccop.ProxyApp;
import dev.ccop.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment that wires Claude Code to the proxy. The context settings follow what was measured with the real
 * CLI (docs/CLAUDE_CODE.md): for a model name Claude Code does not know, its window is
 * {@code CLAUDE_CODE_MAX_CONTEXT_TOKENS}, and it compacts at window − min(max output, 20000) − 13000, so the output
 * budget must be small for a local window.
 */
record ClaudeEnvironment(Map<String, String> set, String model, int contextWindow) {
    /** Variables removed from the inherited environment: a real Anthropic key must not be used or prompted for. */
    static final String[] REMOVED = {"ANTHROPIC_API_KEY"};

    static ClaudeEnvironment forProxy(ProxyApp app, Config config, String baseUrl) {
        String main = app.router().mainModel("claude-sonnet");
        String small = app.router().resolve("claude-haiku");
        int window = app.backend().contextWindow(main);
        // With sessions the proxy fits every request to the real window and keeps what it clears: Claude Code may then
        // let its conversation grow to the virtual window before it compacts (docs/SESSIONS.md).
        int told = config.sessions().enabled() ? Math.max(window, config.sessions().virtualContext()) : window;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_AUTH_TOKEN", config.server().apiKey() != null ? config.server().apiKey() : "claude-code-ollama-proxy");
        env.put("ANTHROPIC_MODEL", main);
        env.put("ANTHROPIC_DEFAULT_OPUS_MODEL", main);
        env.put("ANTHROPIC_DEFAULT_SONNET_MODEL", main);
        env.put("ANTHROPIC_DEFAULT_HAIKU_MODEL", small);
        env.put("ANTHROPIC_SMALL_FAST_MODEL", small);
        env.put("CLAUDE_CODE_SUBAGENT_MODEL", main);
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("CLAUDE_CODE_MAX_CONTEXT_TOKENS", Integer.toString(told));
        env.put("CLAUDE_CODE_MAX_OUTPUT_TOKENS", Integer.toString(outputBudget(window)));
        env.put("API_TIMEOUT_MS", Long.toString(config.upstream().requestTimeout().toMillis()));
        env.put("CLAUDE_CODE_ATTRIBUTION_HEADER", "0");
        return new ClaudeEnvironment(env, main, told);
    }

    /** An eighth of the window (4096 for 32K), at least 1024 and at most Claude Code's own cap of 20000. */
    static int outputBudget(int window) {
        return Math.max(1024, Math.min(20_000, window / 8));
    }

    void applyTo(Map<String, String> environment) {
        for (String name : REMOVED) {
            environment.remove(name);
        }
        environment.putAll(set);
    }
}
