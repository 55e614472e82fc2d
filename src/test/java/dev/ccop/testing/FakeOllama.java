package dev.ccop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Ollama that follows its documented wire behaviour. Sources: Ollama's docs/api.md ("Generate a chat
 * completion", "List Local Models", "Show Model Information", "Version") and docs/api/errors.mdx, and its server
 * code (server/routes.go); the section numbers below are those of our own notes on that API:
 * <ul>
 *   <li>§1.1: {@code /api/chat} streams by default; NDJSON ({@code application/x-ndjson}), one object per line;
 *       {@code "stream": false} gives one {@code application/json} object.</li>
 *   <li>§1.6: chunks {@code {model, created_at, message:{role, content, thinking?, tool_calls?}, done:false}}; the
 *       last has {@code done:true}, {@code done_reason} and the statistics {@code total_duration, load_duration,
 *       prompt_eval_count, prompt_eval_duration, eval_count, eval_duration} (nanoseconds); tool calls arrive whole,
 *       arguments as an object, {@code id} {@code call_} + 8 chars.</li>
 *   <li>§1.10: errors are {@code {"error":"…"}} with a real status: empty body 400 {@code missing request body},
 *       no model 400 {@code model is required}, unknown model 404 {@code model '<name>' not found}; after the first
 *       chunk an error is one more line {@code {"error":"…"}} with no {@code done:true} chunk.</li>
 *   <li>"Pull a Model": {@code /api/pull} streams progress lines {@code {status}}, per layer
 *       {@code {status:"pulling <id>", digest, total, completed}}, then {@code verifying sha256 digest},
 *       {@code writing manifest}, {@code success}; an unknown name is an {@code {"error":"pull model manifest: file
 *       does not exist"}} line after {@code pulling manifest}. A pulled model is then installed.</li>
 *   <li>§1.12–1.15: {@code /api/tags} (newest first), {@code /api/show} (capabilities, model_info with
 *       {@code <arch>.context_length}), {@code /api/version}.</li>
 *   <li>The window and the KV cache, when asked for ({@link #simulateContext}): see {@link OllamaContextModel}.</li>
 * </ul>
 * What each {@code /api/chat} call answers is scripted with {@link Reply}; requests are recorded.
 */
public final class FakeOllama implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // Ollama (Go) writes with TCP_NODELAY, as Go does for every connection; the JDK's HttpServer does not unless
        // asked, and then each small NDJSON line waits for the previous one's delayed ACK (~40 ms on Linux).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final Map<String, List<String>> models = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> chatRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> rawChatBodies = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> showCalls = new ConcurrentHashMap<>();
    private volatile CountDownLatch clientGone = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger streamsFinished = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger streamsAbandoned = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong streamedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile Reply defaultReply = Reply.text("Hello from the fake.");
    private volatile java.util.function.Function<JsonNode, Reply> replier;
    private volatile OllamaContextModel context;

    public FakeOllama() throws IOException {
        this(0);
    }

    /** On a given port (0: any free one): a fake stopped and started again on its port is a host that came back. */
    public FakeOllama(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/chat", this::chat);
        server.createContext("/api/tags", this::tags);
        server.createContext("/api/show", this::show);
        server.createContext("/api/pull", this::pull);
        server.createContext("/api/version", ex -> json(ex, 200, "{\"version\":\"0.33.0\"}"));
        server.createContext("/", ex -> {
            byte[] body = ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/"))
                    ? "Ollama is running".getBytes() : "404 page not found".getBytes();
            ex.sendResponseHeaders(body.length == 17 ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Installs a model with the given capabilities (e.g. "completion", "tools", "thinking"). */
    public FakeOllama model(String name, String... capabilities) {
        models.put(name, List.of(capabilities));
        return this;
    }

    /** The next {@code /api/chat} call answers this (calls beyond the queue get the default reply). */
    public FakeOllama enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    /** Answers calls beyond the queue by looking at the request, as a model reads its prompt. */
    public FakeOllama replier(java.util.function.Function<JsonNode, Reply> replier) {
        this.replier = replier;
        return this;
    }

    /** Applies {@code num_ctx} and a KV cache per model to every chat request, and reports counts as Ollama does. */
    public FakeOllama simulateContext(OllamaContextModel context) {
        this.context = context;
        return this;
    }

    public FakeOllama defaultReply(Reply reply) {
        defaultReply = reply;
        return this;
    }

    public List<JsonNode> chatRequests() {
        return new ArrayList<>(chatRequests);
    }

    /** The {@code /api/chat} bodies byte for byte, to check prompt-prefix stability. */
    public List<String> rawChatBodies() {
        return new ArrayList<>(rawChatBodies);
    }

    public JsonNode lastChatRequest() {
        List<JsonNode> all = chatRequests();
        return all.isEmpty() ? null : all.getLast();
    }

    public int showCalls(String model) {
        return showCalls.getOrDefault(model, 0);
    }

    /** Waits until a streaming reply found its connection closed by the proxy. */
    public boolean awaitClientGone(long millis) throws InterruptedException {
        return clientGone.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Streamed answers written to their end. */
    public int streamsFinished() {
        return streamsFinished.get();
    }

    /** Streamed answers whose connection the proxy closed before their end. */
    public int streamsAbandoned() {
        return streamsAbandoned.get();
    }

    /** Bytes of streamed answers written so far: it stops growing when the proxy stops reading. */
    public long streamedBytes() {
        return streamedBytes.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Names {@link #pull} may download (others fail as an unknown name does). */
    private final java.util.Set<String> pullable = ConcurrentHashMap.newKeySet();

    public FakeOllama pullable(String name) {
        pullable.add(name);
        return this;
    }

    private void pull(HttpExchange ex) throws IOException {
        JsonNode request = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        String model = request.path("model").asText("");
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            line(out, "{\"status\":\"pulling manifest\"}");
            if (!pullable.contains(model)) {
                line(out, "{\"error\":\"pull model manifest: file does not exist\"}");
                return;
            }
            long[] layers = {4_000_000, 12_000};
            String[] digests = {"sha256:aaaaaaaaaaaa", "sha256:bbbbbbbbbbbb"};
            for (int l = 0; l < layers.length; l++) {
                for (long done = 0; done <= layers[l]; done += layers[l] / 4) {
                    line(out, "{\"status\":\"pulling " + digests[l].substring(7) + "\",\"digest\":\"" + digests[l]
                            + "\",\"total\":" + layers[l] + ",\"completed\":" + done + "}");
                }
            }
            line(out, "{\"status\":\"verifying sha256 digest\"}");
            line(out, "{\"status\":\"writing manifest\"}");
            models.put(model, List.of("completion", "tools"));
            line(out, "{\"status\":\"success\"}");
        }
    }

    private void tags(HttpExchange ex) throws IOException {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode list = body.putArray("models");
        List<String> names = new ArrayList<>(models.keySet());
        Collections.reverse(names); // newest (last installed) first, as Ollama sorts by modified_at
        Instant modified = Instant.parse("2026-11-01T10:00:00Z");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            ObjectNode model = list.addObject().put("name", name).put("model", name)
                    .put("modified_at", modified.minusSeconds(3600L * i).toString())
                    .put("size", 4_683_087_332L).put("digest", "sha256:" + "0".repeat(64));
            model.putObject("details").put("format", "gguf").put("family", "qwen2").put("parameter_size", "7.6B")
                    .put("quantization_level", "Q4_K_M");
            ArrayNode caps = model.putArray("capabilities");
            models.get(name).forEach(caps::add);
        }
        json(ex, 200, body.toString());
    }

    private void show(HttpExchange ex) throws IOException {
        JsonNode request = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        String name = request.path("model").asText(request.path("name").asText(""));
        showCalls.merge(name, 1, Integer::sum);
        if (name.isEmpty()) {
            json(ex, 400, "{\"error\":\"model is required\"}");
            return;
        }
        List<String> caps = models.get(name);
        if (caps == null) {
            json(ex, 404, "{\"error\":\"model '" + name + "' not found\"}");
            return;
        }
        ObjectNode body = MAPPER.createObjectNode().put("modelfile", "").put("parameters", "").put("template", "");
        body.putObject("details").put("format", "gguf").put("family", "qwen2");
        body.putObject("model_info").put("general.architecture", "qwen2").put("qwen2.context_length", 32768);
        ArrayNode array = body.putArray("capabilities");
        caps.forEach(array::add);
        json(ex, 200, body.toString());
    }

    private void chat(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        if (raw.length == 0) {
            json(ex, 400, "{\"error\":\"missing request body\"}");
            return;
        }
        JsonNode request = MAPPER.readTree(raw);
        chatRequests.add(request);
        rawChatBodies.add(new String(raw, StandardCharsets.UTF_8));
        String model = request.path("model").asText("");
        if (model.isEmpty()) {
            json(ex, 400, "{\"error\":\"model is required\"}");
            return;
        }
        if (!models.containsKey(model)) {
            json(ex, 404, "{\"error\":\"model '" + model + "' not found\"}");
            return;
        }
        Reply reply = replies.poll();
        java.util.function.Function<JsonNode, Reply> answer = replier;
        reply = reply != null ? reply : answer != null ? answer.apply(request) : defaultReply;
        OllamaContextModel window = context;
        if (window != null && reply.status == 200) {
            OllamaContextModel.Evaluation evaluation = window.evaluate(request);
            reply.promptEvalCount = evaluation.promptTokens();
            reply.promptEvalCachedCount = evaluation.cachedTokens();
        }
        if (reply.status != 200) {
            json(ex, reply.status, reply.errorBody);
            return;
        }
        boolean stream = !request.has("stream") || request.get("stream").asBoolean();
        if (!stream) {
            json(ex, 200, reply.wholeObject(model).toString());
            return;
        }
        sleep(reply.headerDelayMillis);
        if (reply.gate != null) {
            try {
                reply.gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        try {
            // A cut connection: promise a long body, send less, and drop the connection (a premature EOF).
            ex.sendResponseHeaders(200, reply.cutBeforeDone ? 1 << 20 : 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < reply.chunks.size(); i++) {
                if (i > 0) {
                    sleep(reply.chunkDelayMillis);
                }
                streamedBytes.addAndGet(line(out, reply.chunk(model, i)));
            }
            if (reply.midStreamError != null) {
                line(out, "{\"error\":" + MAPPER.writeValueAsString(reply.midStreamError) + "}");
            } else if (reply.cutBeforeDone) {
                throw new IOException("cut");
            } else {
                line(out, reply.doneChunk(model).toString());
            }
            out.close();
            streamsFinished.incrementAndGet();
        } catch (IOException e) {
            if (!"cut".equals(e.getMessage())) {
                streamsAbandoned.incrementAndGet();
                clientGone.countDown();
            }
            ex.close();
        }
    }

    private static int line(OutputStream out, String json) throws IOException {
        byte[] bytes = (json + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        return bytes.length;
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        Clients.send(ex, status, "application/json; charset=utf-8", body);
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What one {@code /api/chat} call answers. */
    public static final class Reply {
        final List<ObjectNode> chunks = new ArrayList<>();
        int status = 200;
        String errorBody;
        String doneReason = "stop";
        int promptEvalCount = 42;
        int promptEvalCachedCount;
        int evalCount = 7;
        long headerDelayMillis;
        long chunkDelayMillis;
        String midStreamError;
        boolean cutBeforeDone;
        CountDownLatch gate;

        public static Reply text(String... pieces) {
            Reply reply = new Reply();
            for (String piece : pieces) {
                reply.content(piece);
            }
            return reply;
        }

        public static Reply error(int status, String message) {
            Reply reply = new Reply();
            reply.status = status;
            reply.errorBody = "{\"error\":" + quote(message) + "}";
            return reply;
        }

        /** An error body that is not JSON, as a proxy or crashed server in front of Ollama might send. */
        public static Reply rawError(int status, String body) {
            Reply reply = new Reply();
            reply.status = status;
            reply.errorBody = body;
            return reply;
        }

        public Reply content(String text) {
            chunks.add(MAPPER.createObjectNode().put("role", "assistant").put("content", text));
            return this;
        }

        public Reply thinking(String text) {
            chunks.add(MAPPER.createObjectNode().put("role", "assistant").put("content", "").put("thinking", text));
            return this;
        }

        /** A whole tool call in one chunk; {@code id} may be null (Ollama before 0.12.10 sends none). */
        public Reply toolCall(String id, String name, String argumentsJson) {
            ObjectNode message = MAPPER.createObjectNode().put("role", "assistant").put("content", "");
            ObjectNode call = message.putArray("tool_calls").addObject();
            if (id != null) {
                call.put("id", id);
            }
            ObjectNode function = call.putObject("function").put("index", 0).put("name", name);
            try {
                function.set("arguments", MAPPER.readTree(argumentsJson));
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            chunks.add(message);
            return this;
        }

        public Reply doneReason(String reason) {
            doneReason = reason;
            return this;
        }

        public Reply counts(int prompt, int eval) {
            promptEvalCount = prompt;
            evalCount = eval;
            return this;
        }

        public Reply headerDelay(long millis) {
            headerDelayMillis = millis;
            return this;
        }

        public Reply chunkDelay(long millis) {
            chunkDelayMillis = millis;
            return this;
        }

        /** Holds the answer back (as a long prefill would) until the latch opens. */
        public Reply holdUntil(CountDownLatch latch) {
            gate = latch;
            return this;
        }

        public Reply thenError(String message) {
            midStreamError = message;
            return this;
        }

        public Reply thenCut() {
            cutBeforeDone = true;
            return this;
        }

        String chunk(String model, int i) {
            ObjectNode chunk = MAPPER.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
            chunk.set("message", chunks.get(i));
            chunk.put("done", false);
            return chunk.toString();
        }

        ObjectNode doneChunk(String model) {
            ObjectNode chunk = MAPPER.createObjectNode().put("model", model).put("created_at", Instant.now().toString());
            chunk.putObject("message").put("role", "assistant").put("content", "");
            chunk.put("done", true).put("done_reason", doneReason)
                    .put("total_duration", 1_250_000_000L).put("load_duration", 50_000_000L)
                    .put("prompt_eval_count", promptEvalCount).put("prompt_eval_duration", 400_000_000L)
                    .put("eval_count", evalCount).put("eval_duration", 800_000_000L);
            if (promptEvalCachedCount > 0) {
                chunk.put("prompt_eval_cached_count", promptEvalCachedCount);
            }
            return chunk;
        }

        ObjectNode wholeObject(String model) {
            ObjectNode whole = doneChunk(model);
            StringBuilder content = new StringBuilder();
            StringBuilder thinking = new StringBuilder();
            ArrayNode calls = MAPPER.createArrayNode();
            for (ObjectNode c : chunks) {
                content.append(c.path("content").asText(""));
                thinking.append(c.path("thinking").asText(""));
                c.path("tool_calls").forEach(calls::add);
            }
            ObjectNode message = ((ObjectNode) whole.get("message")).put("content", content.toString());
            if (!thinking.isEmpty()) {
                message.put("thinking", thinking.toString());
            }
            if (!calls.isEmpty()) {
                message.set("tool_calls", calls);
            }
            return whole;
        }

        private static String quote(String s) {
            try {
                return MAPPER.writeValueAsString(s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
