package dev.ccop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stand-in for the Anthropic Messages API. Its streams follow the captures in
 * src/test/resources/claude-code/responses/ (which the real Claude Code CLI accepted): {@code event:} + {@code data:}
 * lines, {@code message_start}, {@code ping}, blocks with {@code content_block_start}/deltas/{@code content_block_stop}
 * (a thinking block closes with a {@code signature_delta}; tool input arrives as several {@code input_json_delta}
 * fragments), {@code message_delta}, {@code message_stop}; errors are {@code {"type":"error","error":{…}}}.
 */
public final class FakeAnthropic implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Map<String, List<String>>> headers = new ConcurrentLinkedQueue<>();

    public FakeAnthropic() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/messages", this::messages);
        server.createContext("/v1/models", ex -> Clients.send(ex, 200, "application/json", "{\"data\":[{\"type\":\"model\","
                + "\"id\":\"claude-sonnet-4-5\",\"display_name\":\"Claude Sonnet 4.5\",\"created_at\":\"2025-09-29T00:00:00Z\"}],"
                + "\"has_more\":false,\"first_id\":\"claude-sonnet-4-5\",\"last_id\":\"claude-sonnet-4-5\"}"));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeAnthropic enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    public JsonNode lastRequest() {
        List<JsonNode> all = new ArrayList<>(requests);
        return all.isEmpty() ? null : all.getLast();
    }

    public Map<String, List<String>> lastHeaders() {
        List<Map<String, List<String>>> all = new ArrayList<>(headers);
        return all.getLast();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void messages(HttpExchange ex) throws IOException {
        JsonNode request = MAPPER.readTree(ex.getRequestBody().readAllBytes());
        requests.add(request);
        headers.add(Map.copyOf(ex.getRequestHeaders()));
        Reply reply = replies.poll();
        reply = reply == null ? new Reply().text("Hello from Claude.") : reply;
        if (reply.status != 200) {
            Clients.send(ex, reply.status, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"" + reply.errorType
                    + "\",\"message\":\"" + reply.errorMessage + "\"},\"request_id\":\"req_fake\"}");
            return;
        }
        String model = request.path("model").asText();
        if (!request.path("stream").asBoolean(false)) {
            Clients.send(ex, 200, "application/json", reply.message(model).toString());
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            List<String[]> events = reply.events(model);
            for (int i = 0; i < events.size(); i++) {
                if (i == reply.stallAfter) {
                    sleepQuietly(30_000); // silent, connection open: as a stuck upstream
                }
                out.write(("event: " + events.get(i)[0] + "\ndata: " + events.get(i)[1] + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException closedByTheProxy) {
            ex.close();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one call answers: blocks in order. */
    public static final class Reply {
        private final List<ObjectNode> blocks = new ArrayList<>();
        int status = 200;
        String errorType;
        String errorMessage;
        int inputTokens = 26;
        int outputTokens = 12;
        int stallAfter = -1;

        /** Sends the first {@code events} events of the stream, then nothing, keeping the connection open. */
        public Reply stallAfter(int events) {
            stallAfter = events;
            return this;
        }

        public static Reply error(int status, String type, String message) {
            Reply reply = new Reply();
            reply.status = status;
            reply.errorType = type;
            reply.errorMessage = message;
            return reply;
        }

        public Reply text(String text) {
            blocks.add(MAPPER.createObjectNode().put("type", "text").put("text", text));
            return this;
        }

        public Reply thinking(String thinking, String signature) {
            blocks.add(MAPPER.createObjectNode().put("type", "thinking").put("thinking", thinking).put("signature", signature));
            return this;
        }

        public Reply toolUse(String id, String name, String inputJson) {
            try {
                ObjectNode block = MAPPER.createObjectNode().put("type", "tool_use").put("id", id).put("name", name);
                block.set("input", MAPPER.readTree(inputJson));
                blocks.add(block);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        private String stopReason() {
            return blocks.stream().anyMatch(b -> b.path("type").asText().equals("tool_use")) ? "tool_use" : "end_turn";
        }

        ObjectNode message(String model) {
            ObjectNode message = MAPPER.createObjectNode().put("id", "msg_fake").put("type", "message")
                    .put("role", "assistant").put("model", model);
            blocks.forEach(message.putArray("content")::add);
            message.put("stop_reason", stopReason()).putNull("stop_sequence");
            message.putObject("usage").put("input_tokens", inputTokens).put("output_tokens", outputTokens);
            return message;
        }

        List<String[]> events(String model) {
            List<String[]> events = new ArrayList<>();
            ObjectNode start = message(model);
            start.putArray("content");
            start.putNull("stop_reason");
            ((ObjectNode) start.get("usage")).put("output_tokens", 1);
            events.add(new String[] {"message_start", "{\"type\":\"message_start\",\"message\":" + start + "}"});
            events.add(new String[] {"ping", "{\"type\": \"ping\"}"});
            for (int i = 0; i < blocks.size(); i++) {
                ObjectNode block = blocks.get(i);
                String type = block.path("type").asText();
                ObjectNode empty = MAPPER.createObjectNode().put("type", type);
                switch (type) {
                    case "text" -> empty.put("text", "");
                    case "thinking" -> empty.put("thinking", "").put("signature", "");
                    default -> empty.put("id", block.path("id").asText()).put("name", block.path("name").asText())
                            .putObject("input");
                }
                events.add(new String[] {"content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":" + i + ",\"content_block\":" + empty + "}"});
                switch (type) {
                    case "text" -> events.add(delta(i, MAPPER.createObjectNode().put("type", "text_delta")
                            .put("text", block.path("text").asText())));
                    case "thinking" -> {
                        events.add(delta(i, MAPPER.createObjectNode().put("type", "thinking_delta")
                                .put("thinking", block.path("thinking").asText())));
                        events.add(delta(i, MAPPER.createObjectNode().put("type", "signature_delta")
                                .put("signature", block.path("signature").asText())));
                    }
                    default -> {
                        String json = block.path("input").toString();
                        int half = json.length() / 2;
                        events.add(delta(i, MAPPER.createObjectNode().put("type", "input_json_delta").put("partial_json", "")));
                        events.add(delta(i, MAPPER.createObjectNode().put("type", "input_json_delta")
                                .put("partial_json", json.substring(0, half))));
                        events.add(delta(i, MAPPER.createObjectNode().put("type", "input_json_delta")
                                .put("partial_json", json.substring(half))));
                    }
                }
                events.add(new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + i + "}"});
            }
            events.add(new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                    + stopReason() + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}"});
            events.add(new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
            return events;
        }

        private static String[] delta(int index, ObjectNode delta) {
            return new String[] {"content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}"};
        }
    }
}
