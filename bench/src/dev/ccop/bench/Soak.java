package dev.ccop.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak of docs/RELIABILITY.md: the proxy (its jar, a process of its own) in front of the stand-in upstream, 200
 * concurrent clients for the given seconds, each sending one mixed request after another — Anthropic streamed and
 * not, OpenAI streamed, Ollama NDJSON, and clients that hang up mid-stream or before the answer — then 40 s idle.
 * It reports every status seen, and the proxy's threads, open files and resident memory at the start (after a
 * warm-up) and at the end (after the pause). Loopback only; stops by itself.
 */
public final class Soak {
    private static final int CLIENTS = 200;

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        String classes = args[1];
        int seconds = Integer.parseInt(args[2]);
        int upstreamPort = freePort();
        int proxyPort = freePort();
        Path state = Files.createTempDirectory("ccop-soak");
        Process standIn = new ProcessBuilder(List.of(java(), "-cp", jar + ":" + classes, StandIn.class.getName(),
                Integer.toString(upstreamPort))).redirectErrorStream(true).redirectOutput(state.resolve("standin.log")
                .toFile()).start();
        Process proxy = new ProcessBuilder(List.of(java(), "-Xmx512m", "-jar", jar, "--port", Integer.toString(proxyPort),
                "--ollama-url", "http://127.0.0.1:" + upstreamPort, "--default-model", "bench", "--log-level", "error",
                "--state-dir", state.toString())).redirectErrorStream(true)
                .redirectOutput(state.resolve("proxy.log").toFile()).start();
        try {
            awaitPort(upstreamPort);
            awaitPort(proxyPort);
            run(proxyPort, 15); // warm-up
            Thread.sleep(5_000);
            String before = facts(proxy.pid());
            Map<String, AtomicLong> statuses = run(proxyPort, seconds);
            Thread.sleep(40_000); // idle connections to the upstream time out after 30 s
            String after = facts(proxy.pid());
            long serverErrors = statuses.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
                    .mapToLong(e -> e.getValue().get()).sum();
            System.out.println("soak: " + CLIENTS + " clients for " + seconds + " s");
            System.out.println("outcomes: " + new java.util.TreeMap<>(statuses));
            System.out.println("5xx: " + serverErrors);
            System.out.println("proxy before: " + before);
            System.out.println("proxy after:  " + after);
        } finally {
            proxy.destroy();
            standIn.destroy();
        }
    }

    private static Map<String, AtomicLong> run(int port, int seconds) throws InterruptedException {
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        // Closing the client at the end closes its kept connections: what stays open after is the proxy's own.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            Thread[] clients = new Thread[CLIENTS];
            for (int c = 0; c < CLIENTS; c++) {
                Random random = new Random(c);
                clients[c] = Thread.startVirtualThread(() -> {
                    while (System.nanoTime() < end) {
                        String outcome;
                        try {
                            outcome = once(http, port, random);
                        } catch (Exception e) {
                            outcome = "client error: " + e.getClass().getSimpleName();
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
            for (Thread client : clients) {
                client.join();
            }
        }
        return outcomes;
    }

    private static String once(HttpClient http, int port, Random random) throws Exception {
        String shape = "chunks=" + (1 + random.nextInt(40)) + " delay_us=" + random.nextInt(3_000);
        return switch (random.nextInt(6)) {
            case 0 -> post(http, port, "/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":"
                    + "true,\"messages\":[{\"role\":\"user\",\"content\":\"" + shape + "\"}]}");
            case 1 -> post(http, port, "/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"" + shape + "\"}]}");
            case 2 -> post(http, port, "/v1/chat/completions", "{\"model\":\"bench\",\"stream\":true,\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"" + shape + "\"}]}");
            case 3 -> post(http, port, "/api/chat", "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + shape + "\"}]}");
            default -> hangUp(port, random.nextBoolean(), shape);
        };
    }

    private static String post(HttpClient http, int port, String path, String body) throws Exception {
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        return Integer.toString(response.statusCode());
    }

    /** A client that leaves: after the first bytes of a stream, or before a non-streamed answer. */
    private static String hangUp(int port, boolean midStream, String shape) throws Exception {
        byte[] body = ("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":" + midStream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + shape.replace("chunks=", "chunks=4") + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            if (midStream) {
                InputStream in = socket.getInputStream();
                in.read(new byte[256]);
            }
        }
        return midStream ? "hung up mid-stream" : "hung up before the answer";
    }

    /** Threads, open files and resident memory of the process, and its live heap after a full collection. */
    private static String facts(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info").lines().filter(l -> l.contains("used")).findFirst().orElse("").strip();
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        String threads = status.lines().filter(l -> l.startsWith("Threads:")).findFirst().orElse("").replaceAll("\\s+", " ");
        String rss = status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("").replaceAll("\\s+", " ");
        long files;
        long sockets;
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            List<String> targets = fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException e) {
                    return "";
                }
            }).toList();
            files = targets.size();
            sockets = targets.stream().filter(t -> t.startsWith("socket:")).count();
        }
        return threads + ", open files: " + files + " (" + sockets + " sockets), " + rss + ", heap after GC: " + heap;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(java()).resolveSibling("jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
