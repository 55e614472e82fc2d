package dev.ccop.cli;

import dev.ccop.config.Config;
import dev.ccop.config.ConfigLoader;
import dev.ccop.config.Option;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;

/** The serve settings as picocli options. Values stay strings here: {@code ConfigLoader} layers and validates them. */
public final class ServeOptions {
    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "JSON config file (default: ~/.config/claude-code-ollama-proxy/config.json if it exists).")
    Path config;

    @CommandLine.Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default 127.0.0.1).")
    String host;

    @CommandLine.Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 11435).")
    String port;

    @CommandLine.Option(names = "--ollama-url", paramLabel = "URL",
            description = "Ollama's base URL (default http://127.0.0.1:11434, or OLLAMA_HOST).")
    String ollamaUrl;

    @CommandLine.Option(names = "--upstream", paramLabel = "URL[;weight=N][;max=N]",
            description = "An Ollama server of a pool (repeat for each): balanced, conversations kept on one server,"
                    + " failed servers taken out until they answer again.")
    java.util.List<String> upstreams;

    @CommandLine.Option(names = "--routes", paramLabel = "JSON",
            description = "Rules that pick the model by the kind of request, a JSON array (docs/SCALE.md).")
    String routes;

    @CommandLine.Option(names = "--api-key", paramLabel = "KEY",
            description = "Require this key from clients (Authorization: Bearer or x-api-key) on every endpoint but /health.")
    String apiKey;

    @CommandLine.Option(names = "--provider", paramLabel = "PROVIDER",
            description = "The backend: ollama (default), openai (an OpenAI-compatible server at --provider-url),"
                    + " anthropic (the Anthropic API) or claude-agent (the Claude Code CLI).")
    String provider;

    @CommandLine.Option(names = "--provider-url", paramLabel = "URL",
            description = "The OpenAI-compatible server's base URL, e.g. http://127.0.0.1:1234/v1.")
    String providerUrl;

    @CommandLine.Option(names = "--provider-api-key", paramLabel = "KEY",
            description = "API key for the provider (sent as a Bearer token).")
    String providerApiKey;

    @CommandLine.Option(names = "--claude-path", paramLabel = "FILE",
            description = "The claude CLI (default: claude on the PATH).")
    String claudePath;

    @CommandLine.Option(names = "--agent-workdir", paramLabel = "DIR",
            description = "claude-agent: the directory the Claude Code CLI works in (default: an empty directory in"
                    + " the state directory).")
    String agentWorkdir;

    @CommandLine.Option(names = "--agent-env", paramLabel = "NAMES",
            description = "claude-agent: environment variables passed on to the CLI beside the basic ones,"
                    + " e.g. ANTHROPIC_API_KEY.")
    String agentEnv;

    @CommandLine.Option(names = "--agent-max-turns", paramLabel = "N",
            description = "claude-agent: the most agent turns per request (default 10).")
    String agentMaxTurns;

    @CommandLine.Option(names = "--agent-max-concurrent", paramLabel = "N",
            description = "claude-agent: how many CLI runs at once (default 2).")
    String agentMaxConcurrent;

    @CommandLine.Option(names = "--model-map", paramLabel = "MAP",
            description = "claude-name=ollama-model pairs (comma-separated, * wildcards), a JSON object, or @file.")
    String modelMap;

    @CommandLine.Option(names = "--default-model", paramLabel = "MODEL",
            description = "Ollama model for names nothing else maps.")
    String defaultModel;

    @CommandLine.Option(names = "--small-model", paramLabel = "MODEL",
            description = "Ollama model for claude-*haiku* (background) requests.")
    String smallModel;

    @CommandLine.Option(names = "--fallback-model-for", paramLabel = "PATTERNS",
            description = "Names beside claude-* that the default model answers when not installed ('*': all).")
    String fallbackModelFor;

    @CommandLine.Option(names = "--context-window", paramLabel = "TOKENS",
            description = "num_ctx for every model (default: the model's trained context, capped by --context-cap).")
    String contextWindow;

    @CommandLine.Option(names = "--context-cap", paramLabel = "TOKENS",
            description = "Largest automatic num_ctx (default 32768).")
    String contextCap;

    @CommandLine.Option(names = "--keep-alive", paramLabel = "DURATION",
            description = "How long Ollama keeps a model loaded between requests (default 30m).")
    String keepAlive;

    @CommandLine.Option(names = "--think-models", paramLabel = "PATTERNS",
            description = "Ollama models that think when an OpenAI client does not say (e.g. 'qwen3*,deepseek-r1*').")
    String thinkModels;

    @CommandLine.Option(names = "--reasoning-output", paramLabel = "MODE",
            description = "Reasoning for OpenAI clients: reasoning_content (default), omit, or think-tags.")
    String reasoningOutput;

    @CommandLine.Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace.")
    String logLevel;

    @CommandLine.Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text (default) or json: one JSON object per line.")
    String logFormat;

    @CommandLine.Option(names = "--log-bodies", description = "Log request and answer bodies, secrets redacted"
            + " (debugging only: prompts are logged nowhere else).")
    boolean logBodies;

    @CommandLine.Option(names = "--request-timeout", paramLabel = "SECONDS",
            description = "How long the backend may stay silent before a request fails (default 600).")
    String requestTimeout;

    @CommandLine.Option(names = "--ping-interval", paramLabel = "SECONDS",
            description = "Keep-alive ping interval on silent streams (default 1).")
    String pingInterval;

    @CommandLine.Option(names = "--images-without-vision", paramLabel = "notice|error",
            description = "Images sent to a model that cannot see: replaced by a notice (default) or a 400.")
    String imagesWithoutVision;

    @CommandLine.Option(names = "--drain-seconds", paramLabel = "SECONDS",
            description = "On SIGTERM, how long answers under way may go on (default 10).")
    String drainSeconds;

    @CommandLine.Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the proxy keeps its own files (default ~/.config/claude-code-ollama-proxy).")
    String stateDir;

    @CommandLine.Option(names = "--max-upstream-line-bytes", paramLabel = "BYTES",
            description = "Longest line an upstream may send (default 16777216).")
    String maxUpstreamLineBytes;

    @CommandLine.Option(names = "--max-request-bytes", paramLabel = "BYTES",
            description = "Largest request body accepted (default 33554432).")
    String maxRequestBytes;

    @CommandLine.Option(names = "--allowed-origins", paramLabel = "ORIGINS",
            description = "Web-page origins (comma-separated, * wildcards) that may call the proxy from a browser.")
    String allowedOrigins;

    @CommandLine.Option(names = "--allowed-hosts", paramLabel = "HOSTS",
            description = "Extra Host names accepted while listening on loopback (others are refused).")
    String allowedHosts;

    @CommandLine.Option(names = "--no-sessions", description = "Store nothing: no sessions, no recall (requests are"
            + " still fitted to the window).")
    boolean noSessions;

    @CommandLine.Option(names = "--sessions", paramLabel = "on|off", description = "Sessions on (default) or off.")
    String sessions;

    @CommandLine.Option(names = "--session-store", paramLabel = "FILE",
            description = "The session store (default: sessions.db in the state directory).")
    String sessionStore;

    @CommandLine.Option(names = "--session-retention-days", paramLabel = "DAYS",
            description = "Delete sessions unused for this many days (default 30).")
    String sessionRetentionDays;

    @CommandLine.Option(names = "--session-max-mb", paramLabel = "MB",
            description = "Largest size of stored session text (default 1024).")
    String sessionMaxMb;

    @CommandLine.Option(names = "--virtual-context", paramLabel = "TOKENS",
            description = "With sessions on, the window the launcher tells Claude Code (default 131072).")
    String virtualContext;

    @CommandLine.Option(names = "--env-file", paramLabel = "FILE",
            description = "Read settings from this .env file (serve, doctor and sessions read ./.env when it exists;"
                    + " the claude launcher, which runs in project directories, reads only the one named here).")
    Path envFile;

    /** Where a command looks for a {@code .env} when none is named: serve's own directory, or nowhere. */
    enum DotEnvLookup { HERE, ONLY_NAMED }

    /** The settings: these flags over {@code env}, the .env file, the config file and the defaults. */
    Config load(Map<String, String> env, DotEnvLookup dotEnv) {
        return load(given(), env, dotEnv);
    }

    /** The same with {@code flags} in place of the given ones (a command that sets some of its own). */
    Config load(Map<Option, String> flags, Map<String, String> env, DotEnvLookup dotEnv) {
        Path workingDir = Path.of("").toAbsolutePath();
        ConfigLoader loader = new ConfigLoader(flags, env, workingDir, config, ConfigLoader.userConfigFile(env));
        if (envFile != null) {
            loader.withDotEnv(workingDir.resolve(envFile), true);
        } else if (dotEnv == DotEnvLookup.HERE) {
            loader.withDotEnv(workingDir.resolve(".env"), false);
        }
        Config loaded = loader.load();
        if (loader.dotEnvFile() != null) {
            System.err.println(Main.NAME + ": read settings from " + loader.dotEnvFile());
        }
        return loaded;
    }

    Map<Option, String> given() {
        Map<Option, String> given = new EnumMap<>(Option.class);
        put(given, Option.HOST, host);
        put(given, Option.PORT, port);
        put(given, Option.OLLAMA_URL, ollamaUrl);
        put(given, Option.UPSTREAMS, upstreams == null ? null : String.join(",", upstreams));
        put(given, Option.ROUTES, routes);
        put(given, Option.API_KEY, apiKey);
        put(given, Option.PROVIDER, provider);
        put(given, Option.PROVIDER_URL, providerUrl);
        put(given, Option.PROVIDER_API_KEY, providerApiKey);
        put(given, Option.CLAUDE_PATH, claudePath);
        put(given, Option.AGENT_WORKDIR, agentWorkdir);
        put(given, Option.AGENT_ENV, agentEnv);
        put(given, Option.AGENT_MAX_TURNS, agentMaxTurns);
        put(given, Option.AGENT_MAX_CONCURRENT, agentMaxConcurrent);
        put(given, Option.MODEL_MAP, modelMap);
        put(given, Option.DEFAULT_MODEL, defaultModel);
        put(given, Option.SMALL_MODEL, smallModel);
        put(given, Option.FALLBACK_MODEL_FOR, fallbackModelFor);
        put(given, Option.CONTEXT_WINDOW, contextWindow);
        put(given, Option.CONTEXT_CAP, contextCap);
        put(given, Option.KEEP_ALIVE, keepAlive);
        put(given, Option.THINK_MODELS, thinkModels);
        put(given, Option.REASONING_OUTPUT, reasoningOutput);
        put(given, Option.LOG_LEVEL, logLevel);
        put(given, Option.LOG_FORMAT, logFormat);
        put(given, Option.LOG_BODIES, logBodies ? "on" : null);
        put(given, Option.REQUEST_TIMEOUT, requestTimeout);
        put(given, Option.PING_INTERVAL, pingInterval);
        put(given, Option.IMAGES_WITHOUT_VISION, imagesWithoutVision);
        put(given, Option.DRAIN_SECONDS, drainSeconds);
        put(given, Option.STATE_DIR, stateDir);
        put(given, Option.MAX_REQUEST_BYTES, maxRequestBytes);
        put(given, Option.MAX_UPSTREAM_LINE_BYTES, maxUpstreamLineBytes);
        put(given, Option.ALLOWED_ORIGINS, allowedOrigins);
        put(given, Option.SESSIONS, noSessions ? "off" : sessions);
        put(given, Option.SESSION_STORE, sessionStore);
        put(given, Option.SESSION_RETENTION_DAYS, sessionRetentionDays);
        put(given, Option.SESSION_MAX_MB, sessionMaxMb);
        put(given, Option.VIRTUAL_CONTEXT, virtualContext);
        put(given, Option.ALLOWED_HOSTS, allowedHosts);
        return given;
    }

    private static void put(Map<Option, String> map, Option option, String value) {
        if (value != null) {
            map.put(option, value);
        }
    }
}
