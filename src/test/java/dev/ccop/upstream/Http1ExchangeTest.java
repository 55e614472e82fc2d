package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plain HTTP/1.1 client against a server that answers with scripted bytes, well-formed or not. */
class Http1ExchangeTest {
    private final ScriptedServer server = new ScriptedServer();
    private final Http1Connections connections =
            new Http1Connections(URI.create("http://127.0.0.1:" + server.port()), Duration.ofSeconds(5));

    @AfterEach
    void stop() throws IOException {
        connections.closeIdle();
        server.close();
    }

    private String exchange() throws IOException {
        try (Http1Exchange exchange = new Http1Exchange(connections)) {
            exchange.post("/api/chat", "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8));
            return exchange.status() + " " + new String(exchange.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void chunkedAndLengthBodiesAreReadWholeAndTheConnectionIsReused() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"a\":\r\n3\r\n1}\n\r\n0\r\n\r\n");
        server.answer("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");

        assertThat(exchange()).isEqualTo("200 {\"a\":1}\n");
        assertThat(exchange()).isEqualTo("404 not found");
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests().getFirst()).startsWith("POST /api/chat HTTP/1.1\r\n").contains("Host: 127.0.0.1:")
                .endsWith("Content-Length: 13\r\n\r\n{\"model\":\"m\"}");
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedOnce() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(exchange()).isEqualTo("200 ok");
        server.dropIdleConnections();
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain");

        assertThat(exchange()).isEqualTo("200 again");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void anAnswerThatEndsTheConnectionIsNotReused() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno");

        assertThat(exchange()).isEqualTo("200 ok");
        assertThat(exchange()).isEqualTo("200 no");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void brokenHeadsAndBodiesAreErrorsNotHangs() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nX-Long: " + "x".repeat(20_000) + "\r\n\r\n");
        assertThatThrownBy(this::exchange).hasMessageContaining("header line longer");

        server.answer("SSH-2.0-OpenSSH\r\n\r\n");
        assertThatThrownBy(this::exchange).hasMessageContaining("not an HTTP/1.1 answer");

        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThatThrownBy(this::exchange).hasMessageContaining("bad chunk size");

        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort", true);
        assertThatThrownBy(this::exchange).hasMessageContaining("closed mid-chunk");
    }

    @Test
    void aChunksDataIsReadableBeforeItsCrlfWhichMayComeWithTheNextChunk() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        server.answerAndHold("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n", later);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (Http1Exchange exchange = new Http1Exchange(connections)) {
                exchange.post("/api/chat", "{}".getBytes(StandardCharsets.UTF_8));
                byte[] line = new byte[6];
                assertThat(exchange.body().readNBytes(line, 0, 6)).isEqualTo(6);
                assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo("hello\n");
            }
        });
        later.countDown();
    }

    /**
     * Ollama flushes each NDJSON line as a chunk of its own; lines that arrived together must be seen together (the
     * relay then writes them with one system call), and asking must never wait for a chunk still on its way.
     */
    @Test
    void chunksThatArrivedTogetherAreReadableTogetherAndAskingNeverWaits() throws Exception {
        CountDownLatch later = new CountDownLatch(1);
        server.answerAndHold("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\ne1\n\r\n3\r\ne2\n\r\n3\r\ne3\n\r\n3\r", later);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (Http1Exchange exchange = new Http1Exchange(connections)) {
                exchange.post("/api/chat", "{}".getBytes(StandardCharsets.UTF_8));
                Utf8LineReader lines = new Utf8LineReader(exchange.body());
                assertThat(lines.readLine()).isEqualTo("e1");
                while (!lines.hasLine()) {
                    Thread.onSpinWait(); // the rest of the server's one write is still crossing loopback
                }
                assertThat(lines.readLine()).isEqualTo("e2");
                assertThat(lines.hasLine()).isTrue();
                assertThat(lines.readLine()).isEqualTo("e3");
                assertThat(lines.hasLine()).as("the next chunk's size line has not ended").isFalse();
            }
        });
        later.countDown();
    }

    @Test
    void closingWhileWaitingForTheHeadStopsTheWaitAndClosesTheConnection() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        server.hold(never);
        Http1Exchange exchange = new Http1Exchange(connections);
        Thread.startVirtualThread(() -> {
            server.awaitRequests(1);
            exchange.close(); // as a client's hang-up does during a long prompt evaluation
        });

        assertThatThrownBy(() -> exchange.post("/api/chat", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(server.awaitPeerClosed()).isTrue();
        never.countDown();
    }

    /** Accepts connections; answers each request with the next scripted reply, on whichever connection it came. */
    private static final class ScriptedServer implements AutoCloseable {
        private record Script(String bytes, boolean thenClose, CountDownLatch hold) {}

        private final ServerSocket socket;
        private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final CountDownLatch peerClosed = new CountDownLatch(1);

        ScriptedServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.startVirtualThread(this::acceptAll);
        }

        int port() {
            return socket.getLocalPort();
        }

        void answer(String bytes) {
            answer(bytes, false);
        }

        void answer(String bytes, boolean thenClose) {
            scripts.add(new Script(bytes, thenClose, null));
        }

        void hold(CountDownLatch until) {
            answerAndHold("", until);
        }

        /** Sends {@code bytes}, then keeps the connection open and silent until the client closes it. */
        void answerAndHold(String bytes, CountDownLatch until) {
            scripts.add(new Script(bytes, false, until));
        }

        int connections() {
            return accepted.get();
        }

        List<String> requests() {
            return requests;
        }

        void awaitRequests(int n) {
            while (requests.size() < n) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }

        boolean awaitPeerClosed() throws InterruptedException {
            return peerClosed.await(10, TimeUnit.SECONDS);
        }

        void dropIdleConnections() throws IOException {
            for (Socket s : open) {
                s.close();
            }
        }

        private void acceptAll() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    accepted.incrementAndGet();
                    open.add(connection);
                    Thread.startVirtualThread(() -> serve(connection));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream();
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    Script script = scripts.take();
                    out.write(script.bytes().getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (script.hold() != null) {
                        if (in.read() < 0) { // blocks until the client closes
                            peerClosed.countDown();
                        }
                        return;
                    }
                    if (script.thenClose()) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the test closed it
            }
        }

        /** The head and a Content-Length body; null when the client closed the connection. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int at = text.toLowerCase().indexOf("content-length:");
            int length = at < 0 ? 0 : Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
            return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            dropIdleConnections();
        }
    }
}
