package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.testing.ClaudeCodeCli;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.OllamaContextModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI through the launcher, ten {@code -p --continue} turns that each run one Bash command with
 * about 4K tokens of output, on a 32K window: the run that, before sessions, had Claude Code compact on 9 of 10 turns.
 * Each turn starts a new proxy (as the launcher does), so the session store carries the conversation between them.
 */
class LongClaudeCodeSessionTest {
    private static final String COMPACTION = "Your task is to create a detailed summary of the conversation so far";
    private static Path claude;

    @TempDir
    Path home;

    private final AtomicInteger compactions = new AtomicInteger();
    private final OllamaContextModel window = new OllamaContextModel();
    private FakeOllama ollama;

    @BeforeAll
    static void install() throws Exception {
        claude = ClaudeCodeCli.install();
    }

    @AfterEach
    void stop() {
        ollama.close();
    }

    /** The model: a turn's prompt gets a Bash call, its result a short answer naming the turn; a summary if asked. */
    private Reply reply(JsonNode request) {
        JsonNode messages = request.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String text = last.path("content").asText();
        if (request.toString().contains(COMPACTION)) {
            compactions.incrementAndGet();
            return Reply.text("<analysis>a</analysis>\n<summary>The user ran commands.</summary>");
        }
        if ("tool".equals(last.path("role").asText())) {
            int lines = text.split("\n").length;
            return Reply.text("Turn done: the command printed " + lines + " lines.");
        }
        if (request.path("tools").isEmpty()) {
            return Reply.text("ok");
        }
        return Reply.text().toolCall(null, "Bash", "{\"command\":\"seq 1 700 | sed 's/^/line of output number /'\","
                + "\"description\":\"Print the numbered lines\"}");
    }

    @Test
    void tenTurnsWithLargeToolOutputsRunWithoutCompactionAndEveryResultReachesTheModel() throws Exception {
        ollama = new FakeOllama().model("qwen3:8b", "completion", "tools").simulateContext(window)
                .replier(this::reply);
        List<String> outputs = new ArrayList<>();
        for (int turn = 1; turn <= 10; turn++) {
            List<String> args = new ArrayList<>(List.of("--", "-p", "Turn " + turn + ": print the numbered lines.",
                    "--dangerously-skip-permissions"));
            if (turn > 1) {
                args.add("--continue");
            }
            ClaudeCodeCli.Result result = launcher(args);
            assertThat(result.exitCode()).as("turn " + turn + ": " + result.stderr()).isZero();
            outputs.add(result.stdout());
        }

        assertThat(compactions.get()).as("compaction requests").isZero();
        assertThat(outputs).as("every turn's answer came back after its tool ran")
                .allMatch(out -> out.contains("Turn done: the command printed 700 lines."));
        long toolResults = ollama.chatRequests().stream().filter(r -> {
            JsonNode messages = r.path("messages");
            JsonNode last = messages.get(messages.size() - 1);
            return "tool".equals(last.path("role").asText()) && last.path("content").asText().contains("number 700");
        }).count();
        assertThat(toolResults).as("requests that brought a turn's tool result to the model").isEqualTo(10);
        assertThat(window.evaluations()).as("requests Ollama would have cut").allMatch(e -> e.droppedMessages() == 0);
        assertThat(ollama.chatRequests()).allMatch(r -> r.path("options").path("num_ctx").asInt() == 32768);
    }

    private ClaudeCodeCli.Result launcher(List<String> claudeArgs) throws Exception {
        Map<String, String> env = new HashMap<>(ClaudeCodeCli.offlineEnvironment(home));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "claude", "--ollama-url", ollama.url().toString(), "--state-dir",
                home.resolve("state").toString(), "--model", "qwen3:8b", "--claude-path", claude.toString()));
        command.addAll(claudeArgs);
        return ClaudeCodeCli.run(command, env, home, 180);
    }
}
