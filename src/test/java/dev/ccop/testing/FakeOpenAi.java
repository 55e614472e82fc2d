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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stand-in for an OpenAI-compatible server, following OpenAI's documented Chat Completions streaming format (API
 * reference, "The chat completion chunk object" and "Streaming"): {@code data: <chunk>} events; the first delta
 * carries the role; a tool call's first fragment carries {@code index, id, type, function.name} and empty
 * {@code arguments}, later fragments only {@code index} and pieces of {@code function.arguments}; a final chunk with
 * {@code finish_reason}; with {@code stream_options.include_usage} a last chunk with {@code choices: []} and
 * {@code usage}; then {@code data: [DONE]}. Errors are {@code {"error":{"message","type","param","code"}}} with the
 * HTTP status. {@code reasoning_content} deltas are what DeepSeek, vLLM and LM Studio send for thinking.
 */
public final class FakeOpenAi implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final List<String> models = new ArrayList<>();
    private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();

    public FakeOpenAi(String... modelIds) throws IOException {
        models.addAll(List.of(modelIds));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/models", this::models);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public FakeOpenAi enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    public JsonNode lastRequest() {
        List<JsonNode> all = new ArrayList<>(requests);
        return all.isEmpty() ? null : all.getLast();
    }

    public List<String> authorizations() {
        return new ArrayList<>(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void models(HttpExchange ex) throws IOException {
        ObjectNode body = MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        models.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", 1_700_000_000)
                .put("owned_by", "organization-owner"));
        Clients.send(ex, 200, "application/json", body.toString());
    }

    private void chat(HttpExchange ex) throws IOException {
        JsonNode request = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        requests.add(request);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        Reply reply = replies.poll();
        reply = reply == null ? Reply.text("Hello from the OpenAI fake.") : reply;
        if (reply.status != 200) {
            Clients.send(ex, reply.status, reply.errorContentType, reply.errorBody);
            return;
        }
        String model = request.path("model").asText();
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            event(out, chunk(model, MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
            for (ObjectNode delta : reply.deltas) {
                event(out, chunk(model, delta, null));
            }
            if (reply.midStreamError != null) {
                ObjectNode error = MAPPER.createObjectNode();
                error.putObject("error").put("message", reply.midStreamError).put("type", "server_error");
                event(out, error.toString());
                return;
            }
            event(out, chunk(model, MAPPER.createObjectNode(), reply.finishReason));
            if (includeUsage && reply.sendUsage) {
                ObjectNode usage = base(model);
                usage.putArray("choices");
                usage.putObject("usage").put("prompt_tokens", reply.promptTokens)
                        .put("completion_tokens", reply.completionTokens)
                        .put("total_tokens", reply.promptTokens + reply.completionTokens);
                event(out, usage.toString());
            }
            event(out, "[DONE]");
        }
    }

    private static String chunk(String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = base(model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    private static ObjectNode base(String model) {
        return MAPPER.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000).put("model", model);
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** What one chat call answers. */
    public static final class Reply {
        final List<ObjectNode> deltas = new ArrayList<>();
        int status = 200;
        String errorBody;
        String errorContentType = "application/json";
        String finishReason = "stop";
        int promptTokens = 30;
        int completionTokens = 6;
        boolean sendUsage = true;
        String midStreamError;
        private int toolCalls;

        public static Reply text(String... pieces) {
            Reply reply = new Reply();
            for (String piece : pieces) {
                reply.deltas.add(MAPPER.createObjectNode().put("content", piece));
            }
            return reply;
        }

        public static Reply error(int status, String message) {
            Reply reply = new Reply();
            reply.status = status;
            ObjectNode body = MAPPER.createObjectNode();
            body.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("param")
                    .putNull("code");
            reply.errorBody = body.toString();
            return reply;
        }

        public static Reply html(int status, String html) {
            Reply reply = new Reply();
            reply.status = status;
            reply.errorBody = html;
            reply.errorContentType = "text/html";
            return reply;
        }

        public Reply reasoning(String text) {
            deltas.add(MAPPER.createObjectNode().put("reasoning_content", text));
            return this;
        }

        /** A tool call sent as OpenAI does: a head fragment, then the arguments in {@code pieces}. */
        public Reply toolCall(String id, String name, String... pieces) {
            int index = toolCalls++;
            ObjectNode head = MAPPER.createObjectNode();
            ObjectNode call = head.putArray("tool_calls").addObject().put("index", index).put("id", id).put("type", "function");
            call.putObject("function").put("name", name).put("arguments", "");
            deltas.add(head);
            for (String piece : pieces) {
                ObjectNode delta = MAPPER.createObjectNode();
                delta.putArray("tool_calls").addObject().put("index", index).putObject("function").put("arguments", piece);
                deltas.add(delta);
            }
            finishReason = "tool_calls";
            return this;
        }

        public Reply finish(String reason) {
            finishReason = reason;
            return this;
        }

        public Reply usage(int prompt, int completion) {
            promptTokens = prompt;
            completionTokens = completion;
            return this;
        }

        public Reply withoutUsage() {
            sendUsage = false;
            return this;
        }

        public Reply thenError(String message) {
            midStreamError = message;
            return this;
        }
    }
}
