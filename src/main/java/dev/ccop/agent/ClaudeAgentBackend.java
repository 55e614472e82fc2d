package dev.ccop.agent;

import dev.ccop.core.Backend;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.SystemPrompt;
import dev.ccop.upstream.LineChatStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The Claude Code CLI as an agent backend: each request runs {@code claude -p} non-interactively in a working
 * directory, with its own tools and a bounded number of turns, and its streamed output is the answer. The CLI uses the
 * user's own Claude credentials; the proxy neither reads nor logs them. The client's tools are not offered to the
 * agent: it works with Claude Code's.
 */
public final class ClaudeAgentBackend implements Backend {
    /** The model aliases the CLI accepts. */
    private static final List<String> MODELS = List.of("sonnet", "opus", "haiku");
    /** Linux refuses a single argument longer than 128 KiB (MAX_ARG_STRLEN); characters may take several bytes. */
    private static final int MAX_SYSTEM_ARGUMENT = 32_000;

    /**
     * {@code environment} is the whole environment of each run (the config's scrubbed copy of the proxy's, with e.g.
     * {@code ANTHROPIC_BASE_URL} to point the CLI at another Anthropic endpoint); {@code workingDir} is created when
     * missing.
     */
    public record Settings(Path claude, Path workingDir, int maxTurns, int maxConcurrent, Duration requestTimeout,
            Map<String, String> environment, int maxLineBytes) {}

    private final Settings settings;
    private final Semaphore permits;

    public ClaudeAgentBackend(Settings settings) {
        this.settings = settings;
        this.permits = new Semaphore(settings.maxConcurrent());
        try {
            Files.createDirectories(settings.workingDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent's working directory " + settings.workingDir(), e);
        }
    }

    @Override
    public ChatStream stream(ChatRequest request, int promptTokens) {
        if (settings.claude() == null) {
            throw new ProxyError(ErrorKind.API_ERROR, 502, "The claude CLI is not installed (or not on the PATH). "
                    + "Install it with: " + ClaudeCli.INSTALL_HINT);
        }
        // The prompt goes on standard input: in argv a prompt that starts with "-" would be read as an option, a
        // long one would hit the argument limit, and every prompt would show in `ps`. Values that must stay in argv
        // are bound to their option with "=", so none of them can be taken for an option either.
        List<String> command = new ArrayList<>(List.of(settings.claude().toString(), "-p",
                "--output-format", "stream-json", "--verbose", "--include-partial-messages",
                "--max-turns=" + settings.maxTurns(), "--model=" + request.model()));
        String system = text(SystemPrompt.withoutBillingHeader(request.system()));
        if (system.length() > MAX_SYSTEM_ARGUMENT) {
            throw ProxyError.invalidRequest("The system prompt is " + system.length() + " characters; the claude"
                    + " CLI takes at most " + MAX_SYSTEM_ARGUMENT + " as --append-system-prompt");
        }
        if (!system.isEmpty()) {
            command.add("--append-system-prompt=" + system);
        }
        return new IdleTimeoutStream(new LineChatStream(new ProcessLineSource(command, prompt(request),
                settings.workingDir(), settings.environment(), permits, settings.maxLineBytes()),
                new StreamJsonDecoder()),
                settings.requestTimeout());
    }

    /**
     * The conversation as one prompt: the last user turn, preceded by the earlier turns as a transcript when there
     * are any (the CLI starts a fresh session for every request).
     */
    static String prompt(ChatRequest request) {
        List<Message> messages = request.messages();
        String last = text(messages.getLast().content());
        if (messages.size() == 1) {
            return last;
        }
        StringBuilder transcript = new StringBuilder("The conversation so far:\n\n");
        for (Message message : messages.subList(0, messages.size() - 1)) {
            String content = text(message.content());
            if (!content.isEmpty()) {
                transcript.append(switch (message.role()) {
                    case USER -> "User: ";
                    case ASSISTANT -> "Assistant: ";
                    case SYSTEM -> "System: ";
                }).append(content).append("\n\n");
            }
        }
        return transcript.append("Now the user says:\n\n").append(last).toString();
    }

    private static String text(List<Block> blocks) {
        StringBuilder sb = new StringBuilder();
        for (Block block : blocks) {
            String piece = switch (block) {
                case Block.Text t -> t.text();
                case Block.ToolResult r -> "[tool result] " + text(r.content());
                case Block.Image i -> "[an image was attached; the agent cannot see it]";
                default -> "";
            };
            if (!piece.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : "\n\n").append(piece);
            }
        }
        return sb.toString();
    }

    @Override
    public List<InstalledModel> models() {
        return MODELS.stream().map(m -> new InstalledModel(m, List.of("completion"), null)).toList();
    }

    @Override
    public List<InstalledModel> refresh() {
        return models();
    }

    @Override
    public String describeLocation() {
        return "the Claude Code CLI (" + (settings.claude() == null ? "not installed" : settings.claude()) + ")";
    }

    @Override
    public String installHint(String model) {
        return "The agent accepts the models sonnet, opus and haiku; map other names with --model-map.";
    }

    @Override
    public List<String> capabilities(String model) {
        return List.of("completion");
    }

    @Override
    public int trainedContext(String model) {
        return 200_000;
    }

    @Override
    public int contextWindow(String model) {
        return 200_000;
    }

    @Override
    public String name() {
        return "claude-agent";
    }

    @Override
    public String url() {
        return settings.workingDir().toAbsolutePath().toString();
    }

    @Override
    public String version() {
        String version = settings.claude() == null ? null : ClaudeCli.version(settings.claude());
        if (version == null) {
            throw new ProxyError(ErrorKind.API_ERROR, 502, "The claude CLI does not answer. Install it with: "
                    + ClaudeCli.INSTALL_HINT);
        }
        return version;
    }
}
