package dev.ccop.config;

import dev.ccop.core.ImagePolicy;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.TaskRoutes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The proxy's validated settings, in one group per part of the proxy that reads them. */
public record Config(Server server, Upstream upstream, Models models, Agent agent, Sessions sessions, Path stateDir,
        Logging logging) {

    /** {@code level} error … trace; {@code json}: one JSON object per line; {@code bodies}: request and answer bodies. */
    public record Logging(String level, boolean json, boolean bodies) {}

    /** One server of a pool: its weight among the others and its concurrency limit (0: none). */
    public record Host(URI url, int weight, int maxConcurrent) {}

    /** Where answers come from. */
    public enum Provider { OLLAMA, OPENAI, ANTHROPIC, CLAUDE_AGENT }

    /**
     * The listening side. {@code apiKey} null: no client authentication. {@code allowedOrigins} and
     * {@code allowedHosts} are patterns of web origins and Host names let in beside loopback ones; {@code drain} is how
     * long answers under way may go on when the proxy is told to stop.
     */
    public record Server(String host, int port, String apiKey, long maxRequestBytes, Duration pingInterval,
            List<String> allowedOrigins, List<String> allowedHosts, Duration drain) {
        @Override
        public String toString() {
            return "Server[host=" + host + ", port=" + port + "]"; // never print the key
        }
    }

    /**
     * The backend and how it is reached. {@code providerUrl} is null for Ollama and the agent unless set;
     * {@code contextWindow} null means the model's own, capped by {@code contextCap}.
     */
    public record Upstream(Provider provider, URI ollamaUrl, URI providerUrl, String providerApiKey,
            Duration requestTimeout, Integer contextWindow, int contextCap, String keepAlive,
            ImagePolicy imagesWithoutVision, int maxLineBytes, List<Host> ollamaHosts) {

        /** The Ollama servers: those of {@code --upstream}, else the one of {@code --ollama-url}. */
        public List<Host> hosts() {
            return ollamaHosts.isEmpty() ? List.of(new Host(ollamaUrl, 1, 0)) : ollamaHosts;
        }

        /** The provider's name as users write it ({@code --provider}). */
        public String providerName() {
            return provider.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** Where requests go, for people: the URL of the upstream this provider talks to. */
        public String describe() {
            return switch (provider) {
                case OLLAMA -> "Ollama at " + ollamaUrl;
                case OPENAI -> "the OpenAI-compatible server at " + providerUrl;
                case ANTHROPIC -> "the Anthropic API at " + providerUrl;
                case CLAUDE_AGENT -> "the Claude Code CLI" + (providerUrl == null ? "" : " (Anthropic API at "
                        + providerUrl + ")");
            };
        }

        @Override
        public String toString() {
            return "Upstream[provider=" + provider + "]"; // never print the key
        }
    }

    /**
     * Which model answers which name, and how reasoning is asked for and shown. Both model names may be null;
     * {@code fallbackFor} are the patterns of names beside {@code claude-*} that the default model may answer.
     */
    public record Models(ModelMap modelMap, String defaultModel, String smallModel, List<String> fallbackFor,
            List<String> thinkModels, ReasoningOutput reasoningOutput, List<TaskRoutes.Rule> routes) {}

    /**
     * The claude CLI ({@code claude} null: not found) and how the claude-agent backend runs it: in {@code workdir},
     * with exactly {@code environment} (a scrubbed copy of the proxy's, see {@code --agent-env}).
     */
    public record Agent(Path claude, Path workdir, int maxTurns, int maxConcurrent, Map<String, String> environment) {
        @Override
        public String toString() {
            return "Agent[claude=" + claude + ", workdir=" + workdir + "]"; // the environment may hold keys
        }
    }

    /**
     * The long memory: whether sessions are stored ({@code enabled}); where ({@code store}: a file, or a JDBC URL of a
     * PostgreSQL server); how long and how much is kept; the window the launcher tells Claude Code while the proxy fits
     * requests to the real one.
     */
    public record Sessions(boolean enabled, String store, Duration retention, long maxChars, int virtualContext) {
        @Override
        public String toString() {
            return "Sessions[enabled=" + enabled + "]"; // a JDBC URL may hold a password
        }
    }

    @Override
    public String toString() {
        return "Config[" + server + ", " + upstream + "]";
    }
}
