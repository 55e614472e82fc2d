package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.FakeOllama.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a serving proxy (a process of its own, as users run it): streams end properly, and the exit is 0. */
class ShutdownTest {
    @TempDir
    Path state;

    @Test
    void aStreamStillRunningAfterTheDrainPeriodEndsWithAnErrorEventAndTheProxyExitsWithZero() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try (FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion", "tools")) {
            ollama.enqueue(Reply.text("too late").holdUntil(never));
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            Process proxy = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--port", Integer.toString(port), "--ollama-url", ollama.url().toString(),
                    "--default-model", "qwen3:8b", "--drain-seconds", "1", "--state-dir", state.toString()))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader console = new BufferedReader(new InputStreamReader(proxy.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = console.readLine()) != null && !line.contains("listening on")) {
                    // start-up output
                }
                try (Socket client = new Socket("127.0.0.1", port)) {
                    byte[] body = ("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"stream\":true,\"messages\":"
                            + "[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
                    client.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:"
                            + " application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    client.getOutputStream().write(body);
                    BufferedReader stream = new BufferedReader(new InputStreamReader(client.getInputStream(),
                            StandardCharsets.UTF_8));
                    while (!(line = stream.readLine()).equals("event: message_start")) {
                        // headers
                    }

                    proxy.destroy(); // SIGTERM

                    StringBuilder rest = new StringBuilder();
                    while ((line = stream.readLine()) != null) {
                        rest.append(line).append('\n');
                    }
                    assertThat(rest.toString()).contains("event: error").contains("shutting down");
                }
                assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(proxy.exitValue()).isZero();
            } finally {
                proxy.destroyForcibly();
                never.countDown();
            }
        }
    }
}
