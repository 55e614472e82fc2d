package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.FakeOllama.Reply;
import dev.ccop.testing.ProxyHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Fifty clients that open a stream and stop reading it: back-pressure must reach the upstream (the proxy holds a
 * bounded amount of each answer instead of the whole of it), other clients are still served, and the fifty upstream
 * requests end once their clients hang up.
 */
class SlowReadersTest {
    private static final int READERS = 50;
    /** 32 MiB per answer: more than the kernel buffers between the fake and a stalled client can hold. */
    private static final int CHUNKS = 1024;
    private static final String CHUNK = "x".repeat(32 * 1024);

    @Test
    void stalledReadersHoldBackTheUpstreamAndLeaveTheProxyServing() throws Exception {
        try (ProxyHarness harness = ProxyHarness.standard()) {
            harness.ollama.defaultReply(Reply.text(Collections.nCopies(CHUNKS, CHUNK).toArray(String[]::new)));
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < READERS; i++) {
                    readers.add(openStreamAndStopReading(harness.baseUrl()));
                }
                await(() -> harness.ollama.chatRequests().size() == READERS);
                awaitQuiet(harness.ollama::streamedBytes);

                assertThat(harness.ollama.streamsFinished())
                        .as("answers written to their end while nobody read them").isZero();
                long perStream = harness.ollama.streamedBytes() / READERS;
                assertThat(perStream).as("bytes taken from the upstream per stalled stream")
                        .isLessThan((long) CHUNKS * CHUNK.length() / 2);

                harness.ollama.defaultReply(Reply.text("still here"));
                assertThat(harness.post("/v1/messages", body(false)).body())
                        .contains("still here");
            } finally {
                for (Socket reader : readers) {
                    reader.close();
                }
            }
            await(() -> harness.ollama.streamsAbandoned() == READERS);
        }
    }

    /** Sends a streamed request, reads the first bytes of the answer, and then nothing more. */
    private static Socket openStreamAndStopReading(String baseUrl) throws IOException {
        URI uri = URI.create(baseUrl);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connecting: the window the proxy sees stays small
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        byte[] body = body(true).getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/messages HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        assertThat(in.read(new byte[12])).isPositive(); // "HTTP/1.1 200": the answer has started
        return socket;
    }

    private static String body(boolean stream) {
        return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /** Waits (at most 30 s) until the condition holds. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Waits (at most 30 s) until the counter has stopped moving for half a second. */
    private static void awaitQuiet(java.util.function.LongSupplier counter) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long last = -1;
        while (counter.getAsLong() != last) {
            last = counter.getAsLong();
            assertThat(System.nanoTime()).as("still moving after 30 s").isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
