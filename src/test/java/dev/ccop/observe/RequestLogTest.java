package dev.ccop.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Json;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import dev.ccop.testing.TestConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The request log line, its JSON form, and {@code --log-bodies} with secrets redacted. */
class RequestLogTest {
    private static final String PROMPT = "Please summarise the secret plan for Friday";

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger requestLog = (Logger) LoggerFactory.getLogger("dev.ccop.server.RequestLog");
    private final Logger bodyLog = (Logger) LoggerFactory.getLogger("dev.ccop.server.BodyLog");

    @BeforeEach
    void capture() {
        captured.start();
        for (Logger logger : List.of(requestLog, bodyLog)) {
            logger.addAppender(captured);
            logger.setLevel(Level.INFO); // the tests' logback configuration shows warnings only
            logger.setAdditive(false);
        }
    }

    @AfterEach
    void release() {
        for (Logger logger : List.of(requestLog, bodyLog)) {
            logger.detachAppender(captured);
            logger.setLevel(null);
            logger.setAdditive(true);
        }
    }

    private static ProxyHarness proxy(boolean bodies) throws Exception {
        FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion");
        TestConfig config = TestConfig.of(ProxyHarness.config(ollama.url(), Map.of(), "qwen3:8b", Duration.ofSeconds(5),
                Duration.ofSeconds(30), null));
        config.logBodies = bodies;
        return new ProxyHarness(ollama, config.build());
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(50).addUserMessage(PROMPT).build();
    }

    @Test
    void oneLinePerRequestWithModelsTokensAndTimesButNoPromptText() throws Exception {
        ILoggingEvent line;
        try (ProxyHarness harness = proxy(false)) {
            harness.ollama.enqueue(Reply.text("Hel", "lo").counts(31, 5));
            harness.anthropic().messages().create(params());
            line = awaitLine("RequestLog", "POST /v1/messages");
        }
        Map<String, String> fields = fields(line);
        assertThat(fields).containsEntry("status", "200").containsEntry("front", "anthropic")
                .containsEntry("model", "claude-sonnet-4-5").containsEntry("upstream_model", "qwen3:8b")
                .containsEntry("input_tokens", "31").containsEntry("output_tokens", "5")
                .containsKeys("request_id", "duration_ms", "ttft_ms");
        assertThat(captured.list).noneMatch(e -> e.getFormattedMessage().contains("secret plan")
                || fields(e).values().stream().anyMatch(v -> v.contains("secret plan")));

        JsonNode json = Json.MAPPER.readTree(new JsonLogLayout().doLayout(line));
        assertThat(json.path("level").asText()).isEqualTo("info");
        assertThat(json.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.path("status").asInt()).isEqualTo(200);
        assertThat(json.path("output_tokens").asInt()).isEqualTo(5);
        assertThat(json.path("request_id").asText()).isEqualTo(fields.get("request_id"));
    }

    @Test
    void logBodiesShowsTheRequestAndTheAnswerWithSecretsRedacted() throws Exception {
        ILoggingEvent bodies;
        try (ProxyHarness harness = proxy(true)) {
            harness.ollama.enqueue(Reply.text("Sure: use sk-ant-api03-abcdefghijklmnop1234 now"));
            harness.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":50,\"stream\":true,"
                    + "\"metadata\":{\"api_key\":\"hunter2\"},\"messages\":[{\"role\":\"user\",\"content\":\""
                    + PROMPT + "\"}]}");
            bodies = awaitLine("BodyLog", "bodies of POST /v1/messages");
        }
        Map<String, String> fields = fields(bodies);
        assertThat(fields.get("request_body")).contains(PROMPT).contains("\"api_key\":\"[redacted]\"")
                .doesNotContain("hunter2");
        assertThat(fields.get("answer_body")).contains("event: message_stop").contains("sk-ant-[redacted]")
                .doesNotContain("abcdefghijklmnop1234");
    }

    /**
     * The first line of {@code logger} that starts with {@code start}. A request's lines are written just after its
     * answer is complete, when the client may have it already: wait for them, not for time to pass.
     */
    private ILoggingEvent awaitLine(String logger, String start) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            synchronized (captured) { // the appender appends under its own lock
                Optional<ILoggingEvent> line = captured.list.stream().filter(e -> e.getLoggerName().endsWith(logger))
                        .filter(e -> e.getFormattedMessage().startsWith(start)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + logger + " line starting with '" + start + "'");
    }

    private static Map<String, String> fields(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        return pairs.stream().collect(Collectors.toMap(p -> p.key, p -> String.valueOf(p.value), (a, b) -> b));
    }
}
