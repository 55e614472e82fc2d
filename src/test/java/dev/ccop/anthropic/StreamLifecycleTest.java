package dev.ccop.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a streaming client sees over time. Each test holds the fake Ollama back with a latch, so the assertions do not
 * depend on timing: "before Ollama's first chunk" means "while Ollama is still held".
 */
class StreamLifecycleTest {
    private FakeOllama ollama;
    private ProxyHarness harness;

    @BeforeEach
    void start() throws Exception {
        ollama = new FakeOllama().model("qwen2.5-coder:7b", "completion", "tools");
        harness = new ProxyHarness(ollama, Map.of(), "qwen2.5-coder:7b", Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** A raw socket client, so the test can read event by event and hang up whenever it likes. */
    private final class RawStream implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        RawStream(String body) throws Exception {
            socket = new Socket("127.0.0.1", harness.proxy.port());
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Accept-Encoding: gzip\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        List<String> headers() throws Exception {
            List<String> headers = new ArrayList<>();
            String line;
            while (!(line = in.readLine()).isEmpty()) {
                headers.add(line.toLowerCase());
            }
            return headers;
        }

        /** The next SSE event name, skipping data lines, blank lines and chunk-size lines. */
        String nextEvent() throws Exception {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    return line.substring("event: ".length());
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void messageStartArrivesBeforeOllamaAnswersAndPingsFlowWhileItIsSilent() throws Exception {
        CountDownLatch prefill = new CountDownLatch(1);
        ollama.enqueue(Reply.text("done").holdUntil(prefill));

        try (RawStream stream = new RawStream(MessagesApiTest.streamingBody("claude-sonnet-4-5"))) {
            List<String> headers = stream.headers();
            assertThat(headers).contains("content-type: text/event-stream; charset=utf-8");
            assertThat(headers).noneMatch(h -> h.startsWith("content-encoding"));
            assertThat(stream.nextEvent()).isEqualTo("message_start");
            assertThat(stream.nextEvent()).isEqualTo("ping");
            assertThat(stream.nextEvent()).isEqualTo("ping");
            prefill.countDown();
            List<String> rest = new ArrayList<>();
            String event;
            while ((event = stream.nextEvent()) != null && !event.equals("message_stop")) {
                rest.add(event);
            }
            assertThat(rest.stream().filter(e -> !e.equals("ping")))
                    .containsExactly("content_block_start", "content_block_delta", "content_block_stop", "message_delta");
            assertThat(event).isEqualTo("message_stop");
        }
    }

    @Test
    void clientThatHangsUpDuringPrefillCancelsTheUpstreamRequest() throws Exception {
        CountDownLatch prefill = new CountDownLatch(1);
        // A second of answer after the release: a proxy slowed down by a busy machine still closes before its end.
        ollama.enqueue(Reply.text("a b c d e f g h i j k l m n o p q r s t".split(" ")).holdUntil(prefill)
                .chunkDelay(50));

        try (RawStream stream = new RawStream(MessagesApiTest.streamingBody("claude-sonnet-4-5"))) {
            stream.headers();
            assertThat(stream.nextEvent()).isEqualTo("message_start");
        }
        // The proxy notices the hang-up at its next ping (EventStreamSessionTest shows that path with a clock of its
        // own) or, at the latest, at its first relayed chunk; either way it closes the Ollama connection, which the
        // fake sees as a failed write once released.
        prefill.countDown();
        assertThat(ollama.awaitClientGone(5_000)).isTrue();
    }

    /** 500 chunks, 20 ms apart. */
    private static Reply tenSecondsOfAnswer() {
        Reply answer = Reply.text().chunkDelay(20);
        for (int i = 0; i < 500; i++) {
            answer.content("token" + i + " ");
        }
        return answer;
    }

    @Test
    void clientThatHangsUpOnANonStreamedAnswerCancelsTheUpstreamRequest() throws Exception {
        ollama.enqueue(tenSecondsOfAnswer());

        // The proxy writes nothing until the answer is whole (10 s of chunks): only watching the connection can tell
        // that this client has gone, and then the rest of the answer is not generated.
        try (RawStream request = new RawStream("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1000,"
                + "\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")) {
            assertThat(request.socket.isConnected()).isTrue();
        }
        assertThat(ollama.awaitClientGone(5_000)).isTrue();
    }

    @Test
    void clientThatHangsUpMidAnswerCancelsTheUpstreamRequest() throws Exception {
        ollama.enqueue(tenSecondsOfAnswer());

        try (RawStream stream = new RawStream(MessagesApiTest.streamingBody("claude-sonnet-4-5"))) {
            stream.headers();
            assertThat(stream.nextEvent()).isEqualTo("message_start");
            String event;
            do {
                event = stream.nextEvent();
            } while (!"content_block_delta".equals(event));
        }
        assertThat(ollama.awaitClientGone(5_000)).isTrue();
    }

    @Test
    void ollamaSilentLongerThanTheRequestTimeoutEndsTheStreamWithATimeoutError() throws Exception {
        harness.close();
        ollama = new FakeOllama().model("qwen2.5-coder:7b", "completion");
        harness = new ProxyHarness(ollama, Map.of(), "qwen2.5-coder:7b", Duration.ofMillis(100), Duration.ofMillis(300));
        CountDownLatch never = new CountDownLatch(1);
        ollama.enqueue(Reply.text("late").holdUntil(never));

        var response = harness.post("/v1/messages", MessagesApiTest.streamingBody("claude-sonnet-4-5"));
        never.countDown();

        List<String> events = SseEvents.names(response.body());
        assertThat(events.getFirst()).isEqualTo("message_start");
        assertThat(events.getLast()).isEqualTo("error");
        assertThat(SseEvents.data(response.body(), "error").path("error").path("type").asText())
                .isEqualTo("timeout_error");
        assertThat(SseEvents.data(response.body(), "error").path("error").path("message").asText())
                .contains("--request-timeout");
    }
}
