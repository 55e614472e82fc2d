package dev.ccop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fast upstream stand-in for benchmarks, speaking Ollama's NDJSON ({@code /api/chat}) and OpenAI's SSE
 * ({@code /v1/chat/completions}). The last user message sets the shape of the answer: {@code chunks=N delay_us=D}.
 * Every chunk's text is {@code t=<epoch nanos>;} — the moment it was written — so a client on the same machine can
 * measure each chunk's delivery latency.
 */
public final class StandIn {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern CHUNKS = Pattern.compile("chunks=(\\d+)");
    private static final Pattern DELAY = Pattern.compile("delay_us=(\\d+)");

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(cfg -> {
            cfg.jetty.addConnector((server, httpConfig) -> {
                var connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
                connector.setHost("127.0.0.1");
                connector.setPort(port);
                connector.setAcceptQueueSize(4096);
                return connector;
            });
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            cfg.routes.get("/", ctx -> ctx.result("Ollama is running"));
            cfg.routes.get("/api/version", ctx -> ctx.contentType("application/json").result("{\"version\":\"0.33.0\"}"));
            cfg.routes.get("/api/tags", ctx -> ctx.contentType("application/json").result("{\"models\":[{\"name\":\"bench\","
                    + "\"model\":\"bench\",\"modified_at\":\"2026-11-01T10:00:00Z\",\"size\":1,\"digest\":\"x\","
                    + "\"details\":{},\"capabilities\":[\"completion\",\"tools\"]}]}"));
            cfg.routes.post("/api/show", ctx -> ctx.contentType("application/json").result("{\"capabilities\":"
                    + "[\"completion\",\"tools\"],\"model_info\":{\"general.architecture\":\"qwen2\","
                    + "\"qwen2.context_length\":32768}}"));
            cfg.routes.post("/api/chat", StandIn::ollamaChat);
            cfg.routes.get("/v1/models", ctx -> ctx.contentType("application/json").result(
                    "{\"object\":\"list\",\"data\":[{\"id\":\"bench\",\"object\":\"model\",\"created\":0,\"owned_by\":\"x\"}]}"));
            cfg.routes.post("/v1/chat/completions", StandIn::openAiChat);
        }).start();
    }

    private record Shape(int chunks, long delayNanos) {}

    private static Shape shape(JsonNode request) {
        JsonNode messages = request.path("messages");
        String text = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").toString();
        Matcher chunks = CHUNKS.matcher(text);
        Matcher delay = DELAY.matcher(text);
        return new Shape(chunks.find() ? Integer.parseInt(chunks.group(1)) : 1,
                delay.find() ? Long.parseLong(delay.group(1)) * 1000 : 0);
    }

    static String stamp() {
        Instant now = Instant.now();
        return "t=" + (now.getEpochSecond() * 1_000_000_000L + now.getNano()) + ";";
    }

    private static void ollamaChat(Context ctx) throws IOException {
        JsonNode request = MAPPER.readTree(ctx.bodyAsBytes());
        Shape shape = shape(request);
        if (!request.path("stream").asBoolean(true)) {
            ctx.contentType("application/json").result("{\"model\":\"bench\",\"created_at\":\"2026-11-01T10:00:00Z\","
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"" + stamp() + "\"},\"done\":true,"
                    + "\"done_reason\":\"stop\",\"prompt_eval_count\":10,\"eval_count\":1}");
            return;
        }
        ctx.res().setContentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        for (int i = 0; i < shape.chunks(); i++) {
            pause(i, shape);
            write(out, "{\"model\":\"bench\",\"created_at\":\"2026-11-01T10:00:00Z\",\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"" + stamp() + "\"},\"done\":false}\n");
        }
        write(out, "{\"model\":\"bench\",\"created_at\":\"2026-11-01T10:00:00Z\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":10,\"eval_count\":"
                + shape.chunks() + "}\n");
    }

    private static void openAiChat(Context ctx) throws IOException {
        JsonNode request = MAPPER.readTree(ctx.bodyAsBytes());
        Shape shape = shape(request);
        String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"delta\":";
        if (!request.path("stream").asBoolean(false)) {
            ctx.contentType("application/json").result("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
                    + "\"created\":0,\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"" + stamp() + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,"
                    + "\"completion_tokens\":1,\"total_tokens\":11}}");
            return;
        }
        ctx.res().setContentType("text/event-stream");
        OutputStream out = ctx.res().getOutputStream();
        write(out, "data: " + head + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < shape.chunks(); i++) {
            pause(i, shape);
            write(out, "data: " + head + "{\"content\":\"" + stamp() + "\"},\"finish_reason\":null}]}\n\n");
        }
        write(out, "data: " + head + "{},\"finish_reason\":\"stop\"}]}\n\n");
        write(out, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":" + shape.chunks()
                + ",\"total_tokens\":" + (10 + shape.chunks()) + "}}\n\n");
        write(out, "data: [DONE]\n\n");
    }

    private static void pause(int index, Shape shape) {
        if (index > 0 && shape.delayNanos() > 0) {
            LockSupport.parkNanos(shape.delayNanos());
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
