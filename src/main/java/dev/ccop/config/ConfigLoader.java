package dev.ccop.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ImagePolicy;
import dev.ccop.core.Json;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.TaskRoutes;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link Config} from flags, environment (the real one over a {@code .env} file, when one is named),
 * a JSON config file and defaults, in that order of precedence, and validates every value. Each error names the
 * setting and where its value came from.
 */
public final class ConfigLoader {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private record Value(String text, String source) {}

    private final Map<Option, String> flags;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Path explicitConfigFile;
    private final Path defaultConfigFile;
    private Path dotEnvFile;

    /**
     * @param flags values given on the command line (absent options are missing from the map)
     * @param env the process environment
     * @param explicitConfigFile {@code --config}, or null
     * @param defaultConfigFile read when it exists and no {@code --config} is given; may be null
     */
    public ConfigLoader(Map<Option, String> flags, Map<String, String> env, Path workingDir,
            Path explicitConfigFile, Path defaultConfigFile) {
        this.flags = flags;
        this.env = env;
        this.workingDir = workingDir;
        this.explicitConfigFile = explicitConfigFile;
        this.defaultConfigFile = defaultConfigFile;
    }

    /** {@code $XDG_CONFIG_HOME/claude-code-ollama-proxy}, else {@code ~/.config/claude-code-ollama-proxy}. */
    public static Path userConfigDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("claude-code-ollama-proxy");
    }

    /**
     * Reads environment settings from {@code file} (a {@code .env}) under the real environment; a missing file is
     * fine when {@code required} is false.
     */
    public ConfigLoader withDotEnv(Path file, boolean required) {
        if (required && !Files.isRegularFile(file)) {
            throw new ConfigError("--env-file: file not found: " + file);
        }
        this.dotEnvFile = Files.isRegularFile(file) ? file : null;
        return this;
    }

    /** The {@code .env} file that was read, or null. */
    public Path dotEnvFile() {
        return dotEnvFile;
    }

    public static Path userConfigFile(Map<String, String> env) {
        return userConfigDir(env).resolve("config.json");
    }

    public Config load() {
        Map<String, String> dotEnv = dotEnvFile == null ? Map.of() : DotEnv.read(dotEnvFile);
        Map<String, String> file = readConfigFile();
        Map<Option, Value> values = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            values.put(option, pick(option, dotEnv, file));
        }
        Value provider = values.get(Option.PROVIDER);
        Config.Server server = new Config.Server(
                nonEmpty(values.get(Option.HOST), Option.HOST),
                port(values.get(Option.PORT)),
                blankToNull(values.get(Option.API_KEY).text()),
                positiveLong(values.get(Option.MAX_REQUEST_BYTES), Option.MAX_REQUEST_BYTES),
                seconds(values.get(Option.PING_INTERVAL), Option.PING_INTERVAL),
                patterns(values.get(Option.ALLOWED_ORIGINS)),
                patterns(values.get(Option.ALLOWED_HOSTS)),
                seconds(values.get(Option.DRAIN_SECONDS), Option.DRAIN_SECONDS));
        Config.Upstream upstream = new Config.Upstream(
                provider(provider),
                ollamaUrl(values.get(Option.OLLAMA_URL)),
                providerUrl(values.get(Option.PROVIDER_URL), provider),
                providerApiKey(values.get(Option.PROVIDER_API_KEY), provider),
                seconds(values.get(Option.REQUEST_TIMEOUT), Option.REQUEST_TIMEOUT),
                values.get(Option.CONTEXT_WINDOW).text().isBlank() ? null
                        : (int) positiveLong(values.get(Option.CONTEXT_WINDOW), Option.CONTEXT_WINDOW),
                (int) positiveLong(values.get(Option.CONTEXT_CAP), Option.CONTEXT_CAP),
                keepAlive(values.get(Option.KEEP_ALIVE)),
                imagePolicy(values.get(Option.IMAGES_WITHOUT_VISION)),
                (int) positiveLong(values.get(Option.MAX_UPSTREAM_LINE_BYTES), Option.MAX_UPSTREAM_LINE_BYTES),
                hosts(values.get(Option.UPSTREAMS)));
        Config.Models models = new Config.Models(
                modelMap(values.get(Option.MODEL_MAP)),
                blankToNull(values.get(Option.DEFAULT_MODEL).text()),
                blankToNull(values.get(Option.SMALL_MODEL).text()),
                patterns(values.get(Option.FALLBACK_MODEL_FOR)),
                patterns(values.get(Option.THINK_MODELS)),
                reasoningOutput(values.get(Option.REASONING_OUTPUT)),
                routes(values.get(Option.ROUTES)));
        Path stateDir = stateDir(values.get(Option.STATE_DIR));
        Value agentWorkdir = values.get(Option.AGENT_WORKDIR);
        Config.Agent agent = new Config.Agent(
                claudeCli(values.get(Option.CLAUDE_PATH)),
                agentWorkdir.text().isBlank() ? stateDir.resolve("agent-workdir")
                        : workingDir.resolve(agentWorkdir.text().trim()).normalize(),
                (int) positiveLong(values.get(Option.AGENT_MAX_TURNS), Option.AGENT_MAX_TURNS),
                (int) positiveLong(values.get(Option.AGENT_MAX_CONCURRENT), Option.AGENT_MAX_CONCURRENT),
                AgentEnvironment.of(env, patterns(values.get(Option.AGENT_ENV))));
        Value sessionStore = values.get(Option.SESSION_STORE);
        Config.Sessions sessions = new Config.Sessions(
                onOff(values.get(Option.SESSIONS), Option.SESSIONS),
                sessionStore(sessionStore, stateDir),
                Duration.ofDays(positiveLong(values.get(Option.SESSION_RETENTION_DAYS), Option.SESSION_RETENTION_DAYS)),
                positiveLong(values.get(Option.SESSION_MAX_MB), Option.SESSION_MAX_MB) * 1024 * 1024,
                (int) positiveLong(values.get(Option.VIRTUAL_CONTEXT), Option.VIRTUAL_CONTEXT));
        Config.Logging logging = new Config.Logging(logLevel(values.get(Option.LOG_LEVEL)),
                logFormat(values.get(Option.LOG_FORMAT)), onOff(values.get(Option.LOG_BODIES), Option.LOG_BODIES));
        return new Config(server, upstream, models, agent, sessions, stateDir, logging);
    }

    /** The claude CLI: the one named (when it can be run), else {@code claude} on the PATH; null when there is none. */
    private Path claudeCli(Value value) {
        if (!value.text().isBlank()) {
            Path named = workingDir.resolve(value.text().trim());
            return Files.isExecutable(named) ? named : null;
        }
        for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "claude");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private Value pick(Option option, Map<String, String> dotEnv, Map<String, String> file) {
        if (flags.containsKey(option)) {
            return new Value(flags.get(option), option.flag());
        }
        for (String name : envNames(option)) {
            if (env.containsKey(name)) {
                return new Value(env.get(name), "environment variable " + name);
            }
            if (dotEnv.containsKey(name)) {
                return new Value(dotEnv.get(name), name + " in .env");
            }
        }
        if (file.containsKey(option.key)) {
            return new Value(file.get(option.key), "'" + option.key + "' in the config file");
        }
        return new Value(option.defaultValue, "the default");
    }

    private static List<String> envNames(Option option) {
        return option == Option.OLLAMA_URL ? List.of(option.env, "OLLAMA_HOST") : List.of(option.env);
    }

    private Map<String, String> readConfigFile() {
        Path path = explicitConfigFile != null ? explicitConfigFile : defaultConfigFile;
        if (path == null || (explicitConfigFile == null && !Files.exists(path))) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(path));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigError("--config: file not found: " + path);
        } catch (IOException e) {
            throw new ConfigError("config file " + path + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigError("config file " + path + " must hold a JSON object of settings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.fields().forEachRemaining(field -> {
            boolean known = false;
            for (Option option : Option.values()) {
                known |= option.key.equals(field.getKey());
            }
            if (!known) {
                throw new ConfigError("config file " + path + ": unknown setting '" + field.getKey() + "'");
            }
            JsonNode value = field.getValue();
            values.put(field.getKey(), value.isTextual() ? value.textValue() : value.toString());
        });
        return values;
    }

    private static String nonEmpty(Value value, Option option) {
        if (value.text().isBlank()) {
            throw invalid(option, value, "a non-empty value");
        }
        return value.text().trim();
    }

    private static int port(Value value) {
        try {
            int port = Integer.parseInt(value.text().trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(Option.PORT, value, "a port number from 0 to 65535");
    }

    /** Accepts Ollama's OLLAMA_HOST forms: {@code host}, {@code host:port}, {@code http(s)://host[:port]}. */
    /** A JSON array of {@code {"when": kind, "model": name}} with {@code over_tokens} or {@code pattern} as needed. */
    private static List<TaskRoutes.Rule> routes(Value value) {
        if (value.text().isBlank()) {
            return List.of();
        }
        String expected = "a JSON array of rules such as [{\"when\":\"background\",\"model\":\"qwen3:4b\"}]; when is one"
                + " of " + String.join(", ", TaskRoutes.KINDS) + " (long-context also needs over_tokens, model needs"
                + " pattern)";
        JsonNode rules;
        try {
            rules = MAPPER.readTree(value.text());
        } catch (IOException e) {
            throw invalid(Option.ROUTES, value, expected);
        }
        if (rules == null || !rules.isArray()) {
            throw invalid(Option.ROUTES, value, expected);
        }
        List<TaskRoutes.Rule> read = new ArrayList<>();
        for (JsonNode rule : rules) {
            String kind = rule.path("when").asText("");
            String model = rule.path("model").asText("").trim();
            int overTokens = rule.path("over_tokens").asInt(0);
            String pattern = rule.path("pattern").isTextual() ? rule.path("pattern").textValue() : null;
            boolean complete = TaskRoutes.KINDS.contains(kind) && !model.isEmpty()
                    && (!kind.equals("long-context") || overTokens > 0) && (!kind.equals("model") || pattern != null);
            if (!complete) {
                throw invalid(Option.ROUTES, value, expected + "; " + rule + " is not one");
            }
            read.add(new TaskRoutes.Rule(kind, overTokens, pattern, model));
        }
        return List.copyOf(read);
    }

    /**
     * {@code URL[;weight=N][;max=N]}, comma-separated; in the config file also a JSON array of such strings or of
     * {@code {"url": …, "weight": N, "max": N}} objects.
     */
    private static List<Config.Host> hosts(Value value) {
        List<String> entries = new ArrayList<>();
        if (value.text().trim().startsWith("[")) {
            try {
                for (JsonNode host : MAPPER.readTree(value.text())) {
                    entries.add(host.isTextual() ? host.textValue() : host.path("url").asText("")
                            + (host.has("weight") ? ";weight=" + host.path("weight").asText() : "")
                            + (host.has("max") ? ";max=" + host.path("max").asText() : ""));
                }
            } catch (IOException e) {
                throw invalid(Option.UPSTREAMS, value, "a JSON array of URLs or {url, weight, max} objects");
            }
        } else {
            entries.addAll(List.of(value.text().split(",")));
        }
        List<Config.Host> hosts = new ArrayList<>();
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(";");
            URI url = ollamaUrl(new Value(parts[0].trim(), value.source()));
            int weight = 1;
            int max = 0;
            for (int i = 1; i < parts.length; i++) {
                String[] pair = parts[i].trim().split("=", 2);
                int number;
                try {
                    number = pair.length == 2 ? Integer.parseInt(pair[1].trim()) : -1;
                } catch (NumberFormatException e) {
                    number = -1;
                }
                switch (pair[0].trim()) {
                    case "weight" -> weight = number;
                    case "max" -> max = number;
                    default -> number = -1;
                }
                if (number < (pair[0].trim().equals("max") ? 0 : 1)) {
                    throw invalid(Option.UPSTREAMS, value, "URL[;weight=N][;max=N] entries, comma-separated (weight"
                            + " at least 1, max 0 for no limit); '" + parts[i].trim() + "' is not one");
                }
            }
            hosts.add(new Config.Host(url, weight, max));
        }
        return List.copyOf(hosts);
    }

    static URI ollamaUrl(Value value) {
        String text = value.text().trim();
        if (text.isEmpty()) {
            throw invalid(Option.OLLAMA_URL, value, "a URL such as http://127.0.0.1:11434");
        }
        String withScheme = text.contains("://") ? text : "http://" + text;
        try {
            URI uri = URI.create(withScheme);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            String host = uri.getHost().equals("0.0.0.0") ? "127.0.0.1" : uri.getHost();
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme(), text.contains("://"));
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            return URI.create(uri.getScheme() + "://" + hostForUri(host) + ":" + port + path);
        } catch (IllegalArgumentException e) {
            throw invalid(Option.OLLAMA_URL, value, "a URL such as http://127.0.0.1:11434");
        }
    }

    /** As Ollama's own client: 11434 without a scheme, else the scheme's standard port. */
    private static int defaultPort(String scheme, boolean schemeGiven) {
        if (!schemeGiven) {
            return 11434;
        }
        return scheme.equals("https") ? 443 : 80;
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private ModelMap modelMap(Value value) {
        String text = value.text().trim();
        if (text.startsWith("@")) {
            Path path = workingDir.resolve(text.substring(1));
            try {
                text = Files.readString(path).trim();
            } catch (IOException e) {
                throw new ConfigError(Option.MODEL_MAP.flag() + " (from " + value.source() + "): cannot read " + path);
            }
        }
        try {
            return ModelMap.of(ModelMaps.parse(text));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(Option.MODEL_MAP.flag() + " (from " + value.source() + "): " + e.getMessage());
        }
    }

    private Path stateDir(Value value) {
        return value.text().isBlank() ? userConfigDir(env) : workingDir.resolve(value.text().trim());
    }

    /** A file (relative to the working directory), or the JDBC URL of a PostgreSQL server. */
    private String sessionStore(Value value, Path stateDir) {
        String text = value.text().trim();
        if (text.isEmpty()) {
            return stateDir.resolve("sessions.db").toString();
        }
        if (text.startsWith("jdbc:")) {
            if (!text.startsWith("jdbc:postgresql://") && !text.startsWith("jdbc:sqlite:")) {
                throw invalid(Option.SESSION_STORE, value, "a file, or a URL such as jdbc:postgresql://host/db");
            }
            return text;
        }
        return workingDir.resolve(text).normalize().toString();
    }

    private static boolean onOff(Value value, Option option) {
        return switch (value.text().trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw invalid(option, value, "on or off");
        };
    }

    private static ImagePolicy imagePolicy(Value value) {
        return switch (value.text().trim().toLowerCase(Locale.ROOT)) {
            case "notice" -> ImagePolicy.NOTICE;
            case "error" -> ImagePolicy.ERROR;
            default -> throw invalid(Option.IMAGES_WITHOUT_VISION, value, "'notice' or 'error'");
        };
    }

    /** Ollama's keep_alive forms: a Go duration ({@code 30m}, {@code 1h30m}, {@code 0}) or seconds ({@code -1}: for ever). */
    private static String keepAlive(Value value) {
        String text = value.text().trim();
        if (text.matches("-?\\d+") || text.matches("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+")) {
            return text;
        }
        throw invalid(Option.KEEP_ALIVE, value, "a duration such as 30m, 1h or -1");
    }

    private static Config.Provider provider(Value value) {
        return switch (value.text().trim().toLowerCase(Locale.ROOT)) {
            case "ollama" -> Config.Provider.OLLAMA;
            case "openai" -> Config.Provider.OPENAI;
            case "anthropic" -> Config.Provider.ANTHROPIC;
            case "claude-agent" -> Config.Provider.CLAUDE_AGENT;
            default -> throw invalid(Option.PROVIDER, value, "ollama, openai, anthropic or claude-agent");
        };
    }

    /** Required for the openai provider: an http(s) URL, usually ending in /v1. */
    private static URI providerUrl(Value value, Value provider) {
        String text = value.text().trim();
        if (text.isEmpty() && provider(provider) == Config.Provider.ANTHROPIC) {
            return URI.create("https://api.anthropic.com");
        }
        if (text.isEmpty()) {
            if (provider(provider) == Config.Provider.OPENAI) {
                throw new ConfigError(Option.PROVIDER_URL.flag() + ": required with --provider openai, e.g. "
                        + "http://127.0.0.1:1234/v1");
            }
            return null;
        }
        try {
            URI uri = URI.create(text.replaceAll("/+$", ""));
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw invalid(Option.PROVIDER_URL, value, "an http(s) URL such as http://127.0.0.1:1234/v1");
    }

    /** For the anthropic provider the key may also come from ANTHROPIC_API_KEY, as for Anthropic's own tools. */
    private String providerApiKey(Value value, Value provider) {
        String key = blankToNull(value.text());
        if (key == null && provider(provider) == Config.Provider.ANTHROPIC) {
            key = blankToNull(env.get("ANTHROPIC_API_KEY"));
        }
        return key;
    }

    private static List<String> patterns(Value value) {
        return java.util.Arrays.stream(value.text().split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
    }

    private static ReasoningOutput reasoningOutput(Value value) {
        return switch (value.text().trim().toLowerCase(Locale.ROOT)) {
            case "reasoning_content" -> ReasoningOutput.REASONING_CONTENT;
            case "omit" -> ReasoningOutput.OMIT;
            case "think-tags" -> ReasoningOutput.THINK_TAGS;
            default -> throw invalid(Option.REASONING_OUTPUT, value, "reasoning_content, omit or think-tags");
        };
    }

    /** Whether the log is JSON lines. */
    private static boolean logFormat(Value value) {
        return switch (value.text().trim().toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw invalid(Option.LOG_FORMAT, value, "text or json");
        };
    }

    private static String logLevel(Value value) {
        String level = value.text().trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(level)) {
            throw invalid(Option.LOG_LEVEL, value, "one of " + String.join(", ", LOG_LEVELS));
        }
        return level;
    }

    private static Duration seconds(Value value, Option option) {
        try {
            double seconds = Double.parseDouble(value.text().trim());
            if (seconds > 0 && seconds <= 86_400) {
                return Duration.ofNanos((long) (seconds * 1e9));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(option, value, "a number of seconds greater than 0");
    }

    private static long positiveLong(Value value, Option option) {
        try {
            long n = Long.parseLong(value.text().trim());
            if (n > 0 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(option, value, "a positive whole number");
    }

    private static ConfigError invalid(Option option, Value value, String expected) {
        return new ConfigError(option.flag() + ": expected " + expected + ", got '" + value.text() + "' (from "
                + value.source() + ")");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
