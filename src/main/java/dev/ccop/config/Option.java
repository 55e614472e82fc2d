package dev.ccop.config;

/**
 * Every setting of the proxy, with its flag, environment variable and config-file key. docs/CLI.md has the same
 * table; {@code DocsTest} checks that they agree.
 */
public enum Option {
    HOST("host", "CCOP_HOST", "127.0.0.1", "Address to listen on."),
    PORT("port", "CCOP_PORT", "11435", "Port to listen on (0 picks a free one)."),
    OLLAMA_URL("ollama-url", "CCOP_OLLAMA_URL", "http://127.0.0.1:11434",
            "Ollama's base URL. Ollama's own OLLAMA_HOST (host, host:port or URL) is honoured too."),
    UPSTREAMS("upstreams", "CCOP_UPSTREAMS", "",
            "Several Ollama servers, comma-separated, each URL[;weight=N][;max=N] (--upstream, repeatable): requests"
                    + " are balanced, conversations stay on one server, a failed server is taken out (empty: --ollama-url)."),
    ROUTES("routes", "CCOP_ROUTES", "",
            "Rules that pick the model by the kind of request, a JSON array (docs/SCALE.md): [{\"when\":\"background\","
                    + "\"model\":\"qwen3:4b\"}, {\"when\":\"long-context\",\"over_tokens\":24000,\"model\":…}, …]."),
    API_KEY("api-key", "CCOP_API_KEY", "",
            "When set, every endpoint but /health requires this key (Authorization: Bearer … or x-api-key: …)."),
    PROVIDER("provider", "CCOP_PROVIDER", "ollama",
            "The backend: ollama (native /api/chat), openai (an OpenAI-compatible server), anthropic (the Anthropic API)"
                    + " or claude-agent (the Claude Code CLI)."),
    PROVIDER_URL("provider-url", "CCOP_PROVIDER_URL", "",
            "The provider's base URL: an OpenAI-compatible server's, ending in /v1; for anthropic, https://api.anthropic.com."),
    PROVIDER_API_KEY("provider-api-key", "CCOP_PROVIDER_API_KEY", "",
            "API key for the provider (for anthropic also read from ANTHROPIC_API_KEY); never logged."),
    CLAUDE_PATH("claude-path", "CCOP_CLAUDE_PATH", "",
            "The claude CLI for the launcher, doctor and claude-agent (empty: claude on the PATH)."),
    AGENT_WORKDIR("agent-workdir", "CCOP_AGENT_WORKDIR", "",
            "claude-agent: the directory the Claude Code CLI works in (empty: agent-workdir, an empty directory in the"
                    + " state directory)."),
    AGENT_ENV("agent-env", "CCOP_AGENT_ENV", "",
            "claude-agent: environment variables (comma-separated names) passed on to the CLI beside the basic ones"
                    + " (PATH, HOME, locale, proxy settings); e.g. ANTHROPIC_API_KEY. Nothing else of the proxy's"
                    + " environment is."),
    AGENT_MAX_TURNS("agent-max-turns", "CCOP_AGENT_MAX_TURNS", "10", "claude-agent: the most agent turns per request."),
    AGENT_MAX_CONCURRENT("agent-max-concurrent", "CCOP_AGENT_MAX_CONCURRENT", "2",
            "claude-agent: how many CLI runs at once; more get a 429."),
    MODEL_MAP("model-map", "CCOP_MODEL_MAP", "",
            "Client model names to Ollama models: 'claude-sonnet-4-5=qwen2.5-coder:7b,claude-haiku-*=llama3.1:8b',"
                    + " a JSON object, or @file holding either."),
    DEFAULT_MODEL("default-model", "CCOP_DEFAULT_MODEL", "",
            "Ollama model for names nothing else maps (empty: the newest installed chat model)."),
    SMALL_MODEL("small-model", "CCOP_SMALL_MODEL", "",
            "Ollama model for claude-*haiku* names, Claude Code's background requests (empty: the default model)."),
    FALLBACK_MODEL_FOR("fallback-model-for", "CCOP_FALLBACK_MODEL_FOR", "",
            "Names beside claude-* (comma-separated, * wildcards; '*' for all) that the default model answers when"
                    + " they are neither mapped nor installed; any other such name is a 404."),
    CONTEXT_WINDOW("context-window", "CCOP_CONTEXT_WINDOW", "",
            "num_ctx sent to Ollama for every model (empty: the model's trained context, capped by --context-cap)."),
    CONTEXT_CAP("context-cap", "CCOP_CONTEXT_CAP", "32768",
            "Largest automatic num_ctx: a bigger window needs more memory and makes prefill slower."),
    KEEP_ALIVE("keep-alive", "CCOP_KEEP_ALIVE", "30m",
            "How long Ollama keeps a model loaded after a request (Ollama's keep_alive: 30m, 1h, -1 for ever)."),
    THINK_MODELS("think-models", "CCOP_THINK_MODELS", "",
            "Ollama model patterns (comma-separated, * wildcards) that think when an OpenAI client does not say."),
    REASONING_OUTPUT("reasoning-output", "CCOP_REASONING_OUTPUT", "reasoning_content",
            "How OpenAI clients get reasoning text: reasoning_content, omit, or think-tags (<think>…</think> in content)."),
    LOG_LEVEL("log-level", "CCOP_LOG_LEVEL", "info", "One of error, warn, info, debug, trace."),
    LOG_FORMAT("log-format", "CCOP_LOG_FORMAT", "text",
            "text (one readable line per event) or json (one JSON object per line, for log collectors)."),
    LOG_BODIES("log-bodies", "CCOP_LOG_BODIES", "off",
            "on: log each request's body and each answer's (secrets redacted), for debugging; prompts are logged"
                    + " nowhere else."),
    REQUEST_TIMEOUT("request-timeout", "CCOP_REQUEST_TIMEOUT", "600",
            "Seconds the backend may stay silent (before the first token or between two) before the request fails."),
    PING_INTERVAL("ping-interval", "CCOP_PING_INTERVAL", "1",
            "Seconds between keep-alive pings while a stream is otherwise silent; a ping is also how a client that left is noticed during a long prefill."),
    IMAGES_WITHOUT_VISION("images-without-vision", "CCOP_IMAGES_WITHOUT_VISION", "notice",
            "What images sent to a model without the vision capability become: 'notice' (a short text) or 'error' (a 400)."),
    DRAIN_SECONDS("drain-seconds", "CCOP_DRAIN_SECONDS", "10",
            "On SIGTERM: how long answers under way may go on; the rest then end with an error saying the proxy is"
                    + " shutting down."),
    STATE_DIR("state-dir", "CCOP_STATE_DIR", "",
            "Where the proxy keeps its own files (the thinking-signature key); empty: ~/.config/claude-code-ollama-proxy."),
    SESSIONS("sessions", "CCOP_SESSIONS", "on",
            "on: requests that name a session (Claude Code's session id, OpenAI's user) are stored, fitted with the"
                    + " session's own decisions and given back recalled detail; off (--no-sessions): nothing is stored."),
    SESSION_STORE("session-store", "CCOP_SESSION_STORE", "",
            "The session store: a file (SQLite; empty: sessions.db in the state directory), or the JDBC URL of a"
                    + " PostgreSQL server shared by several proxies (jdbc:postgresql://host/db?user=…&password=…)."),
    SESSION_RETENTION_DAYS("session-retention-days", "CCOP_SESSION_RETENTION_DAYS", "30",
            "Sessions unused for longer than this many days are deleted."),
    SESSION_MAX_MB("session-max-mb", "CCOP_SESSION_MAX_MB", "1024",
            "Largest size of the stored session text; beyond it the least recently used sessions are deleted."),
    VIRTUAL_CONTEXT("virtual-context", "CCOP_VIRTUAL_CONTEXT", "131072",
            "With sessions on, the context window the launcher tells Claude Code (the proxy fits each request to the"
                    + " model's real window), so that it compacts at this size rather than every few turns."),
    ALLOWED_ORIGINS("allowed-origins", "CCOP_ALLOWED_ORIGINS", "",
            "Web-page origins (comma-separated, * wildcards, e.g. https://chat.example.com) that may call the proxy"
                    + " from a browser; loopback pages always may, every other page is refused."),
    ALLOWED_HOSTS("allowed-hosts", "CCOP_ALLOWED_HOSTS", "",
            "Extra Host names (comma-separated, * wildcards) accepted while listening on loopback; others are refused"
                    + " as DNS rebinding."),
    MAX_UPSTREAM_LINE_BYTES("max-upstream-line-bytes", "CCOP_MAX_UPSTREAM_LINE_BYTES", "16777216",
            "Longest line an upstream may send (NDJSON, SSE, the claude CLI's output); a longer one ends the answer"
                    + " with an error instead of being held in memory."),
    MAX_REQUEST_BYTES("max-request-bytes", "CCOP_MAX_REQUEST_BYTES", "33554432",
            "Largest request body accepted; larger ones get a 413.");

    public final String key;
    public final String env;
    public final String defaultValue;
    public final String description;

    Option(String key, String env, String defaultValue, String description) {
        this.key = key;
        this.env = env;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The command-line flag: {@code --key}, but for a list given one item per flag ({@code --upstream}). */
    public String flag() {
        return this == UPSTREAMS ? "--upstream" : "--" + key;
    }
}
