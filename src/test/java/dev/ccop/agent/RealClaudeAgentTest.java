package dev.ccop.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.Block;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.Message;
import dev.ccop.core.Role;
import dev.ccop.core.Sampling;
import dev.ccop.core.Thinking;
import dev.ccop.core.ToolChoice;
import dev.ccop.testing.ClaudeCodeCli;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent backend running the real Claude Code CLI, pointed back at the proxy's own Anthropic front. */
class RealClaudeAgentTest {
    @TempDir
    Path home;

    @Test
    void theRealCliAnswersThroughTheProxysAnthropicFront() throws Exception {
        Path claude = ClaudeCodeCli.install();
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools");
        ollama.defaultReply(Reply.text("An answer from the local model, via the agent."));
        try (ProxyHarness front = new ProxyHarness(ollama, Map.of(), "qwen3:8b", Duration.ofSeconds(5),
                Duration.ofSeconds(60))) {
            Map<String, String> environment = new HashMap<>(ClaudeCodeCli.offlineEnvironment(home));
            environment.put("ANTHROPIC_BASE_URL", front.baseUrl());
            environment.put("ANTHROPIC_API_KEY", "sk-test");
            environment.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
            ClaudeAgentBackend agent = new ClaudeAgentBackend(new ClaudeAgentBackend.Settings(claude, home, 3, 1,
                    Duration.ofSeconds(120), environment, 1 << 24));
            // A prompt that starts like an option and a system prompt: both must reach the model as text.
            ChatRequest request = new ChatRequest("qwen3:8b", List.of(new Block.Text("--settings: answer briefly.")),
                    List.of(new Message(Role.USER, List.of(new Block.Text("--help say hi")))), List.of(), ToolChoice.AUTO,
                    new Sampling(100, null, null, null, List.of(), null), Thinking.UNSPECIFIED, null, true, null);

            StringBuilder text = new StringBuilder();
            ChatEvent last = null;
            try (ChatStream stream = agent.stream(request, 5)) {
                ChatEvent event;
                while ((event = stream.next()) != null) {
                    last = event;
                    if (event instanceof ChatEvent.TextDelta delta) {
                        text.append(delta.text());
                    }
                }
            }

            assertThat(last).as(String.valueOf(last)).isInstanceOf(ChatEvent.Finished.class);
            assertThat(text.toString()).isEqualTo("An answer from the local model, via the agent.");
            String sent = ollama.lastChatRequest().path("messages").toString();
            assertThat(sent).contains("--help say hi").contains("--settings: answer briefly.");
        }
    }
}
