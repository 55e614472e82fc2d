package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import dev.ccop.testing.TestConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing by the kind of request, through the proxy: the model each kind reaches, first matching rule first. */
class TaskRoutesTest {

    private static ProxyHarness proxy(FakeOllama ollama) {
        TestConfig config = TestConfig.of(ProxyHarness.config(ollama.url(), Map.of(), "main:7b", Duration.ofSeconds(5),
                Duration.ofSeconds(30), null));
        config.routes = List.of(
                new TaskRoutes.Rule("background", 0, null, "small:1b"),
                new TaskRoutes.Rule("images", 0, null, "vision:7b"),
                new TaskRoutes.Rule("thinking", 0, null, "thinker:14b"),
                new TaskRoutes.Rule("long-context", 2000, null, "long:7b"),
                new TaskRoutes.Rule("model", 0, "gpt-*", "main:7b"));
        return new ProxyHarness(ollama, config.build());
    }

    private static String sentTo(ProxyHarness harness, String body) throws Exception {
        harness.ollama.enqueue(Reply.text("ok"));
        assertThat(harness.post("/v1/messages", body).statusCode()).isEqualTo(200);
        return harness.ollama.lastChatRequest().path("model").asText();
    }

    @Test
    void eachKindOfRequestReachesItsModel() throws Exception {
        FakeOllama ollama = new FakeOllama();
        for (String model : List.of("main:7b", "small:1b", "vision:7b", "thinker:14b", "long:7b")) {
            ollama.model(model, "completion", "tools", "vision", "thinking");
        }
        try (ProxyHarness harness = proxy(ollama)) {
            String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
            assertThat(sentTo(harness, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9," + hi + "}"))
                    .isEqualTo("main:7b");
            assertThat(sentTo(harness, "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":9," + hi + "}"))
                    .isEqualTo("small:1b");
            assertThat(sentTo(harness, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"thinking\":{\"type\":"
                    + "\"enabled\",\"budget_tokens\":1024}," + hi + "}")).isEqualTo("thinker:14b");
            assertThat(sentTo(harness, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":"
                    + "\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"type\":\"text\",\"text\":\"what is it?\"}]}]}"))
                    .isEqualTo("vision:7b");
            String longText = "word ".repeat(3000);
            assertThat(sentTo(harness, "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"messages\":[{\"role\":"
                    + "\"user\",\"content\":\"" + longText + "\"}]}")).isEqualTo("long:7b");
            assertThat(sentTo(harness, "{\"model\":\"gpt-4o\",\"max_tokens\":9," + hi + "}")).isEqualTo("main:7b");
        }
    }
}
