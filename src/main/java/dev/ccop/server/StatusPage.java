package dev.ccop.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import dev.ccop.core.ModelMap;
import dev.ccop.core.ProxyError;
import dev.ccop.core.UpstreamInfo;
import dev.ccop.observe.RequestRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A page that shows what the proxy is doing: {@code /ui} (a browser asking for {@code /} is sent there), updated every
 * two seconds from {@code /ui/status.json} — requests under way and the last ones (model, tokens, time to first token,
 * tokens per second, status), the backend and whether it answers, the model map, stored sessions, recent errors with
 * their request ids. The page is one static file with no outside assets; the data needs the API key when one is set
 * (the page asks for it).
 */
public final class StatusPage {
    private static final int RECENT = 100;
    /** The backend and the session store are asked at most this often, however often the page polls. */
    private static final long BACKEND_CHECK_NANOS = 5_000_000_000L;

    /** Stored sessions for the page: their count and the latest few (as JSON), or null when sessions are off. */
    public interface Sessions {
        ObjectNode summary();
    }

    private final UpstreamInfo upstream;
    private final ModelMap modelMap;
    private final String defaultModel;
    private final Sessions sessions;
    private final String html;
    private final long started = System.currentTimeMillis();
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private final Set<Live> live = ConcurrentHashMap.newKeySet();
    private volatile ObjectNode backend;
    private volatile long backendCheckedAt;
    private volatile ObjectNode sessionSummary;
    private volatile long sessionsCheckedAt;

    /** A request under way. */
    private record Live(String requestId, String method, String path, long startedAt, RequestRecord record) {}

    /** {@code sessions} null: sessions are off. */
    public StatusPage(UpstreamInfo upstream, ModelMap modelMap, String defaultModel, Sessions sessions) {
        this.upstream = upstream;
        this.modelMap = modelMap;
        this.defaultModel = defaultModel;
        this.sessions = sessions;
        this.html = resource("/status/index.html");
    }

    void register(RoutesConfig routes) {
        routes.get("/ui", ctx -> ctx.contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline';"
                        + " script-src 'unsafe-inline'; frame-ancestors 'none'")
                .header("X-Frame-Options", "DENY").result(html));
        routes.get("/ui/status.json", ctx -> ctx.contentType("application/json").result(Json.write(status())));
    }

    /** A browser's navigation asks for HTML; API clients (Ollama's probes) do not. */
    static boolean wantsPage(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html");
    }

    /** A request begins; the page's own polling, probes and metrics scrapes are not shown. */
    Object started(Context ctx, String requestId, RequestRecord record) {
        if (OwnPaths.contains(ctx.path())) {
            return null;
        }
        Live entry = new Live(requestId, ctx.method().name(), ctx.path(), System.currentTimeMillis(), record);
        live.add(entry);
        return entry;
    }

    void finished(Object started, String front, int status) {
        if (!(started instanceof Live entry)) {
            return;
        }
        live.remove(entry);
        ObjectNode row = row(entry).put("front", front).put("status", status);
        synchronized (recent) {
            recent.addFirst(row);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    private static ObjectNode row(Live entry) {
        ObjectNode row = Json.MAPPER.createObjectNode().put("time", Instant.ofEpochMilli(entry.startedAt()).toString())
                .put("request_id", entry.requestId()).put("method", entry.method()).put("path", entry.path());
        if (entry.record() != null) {
            entry.record().describe((key, value) -> {
                switch (value) {
                    case Integer i -> row.put(key, i);
                    case Double d -> row.put(key, d);
                    default -> row.put(key, String.valueOf(value));
                }
            });
        }
        double ttft = row.path("ttft_ms").asDouble(-1);
        double duration = row.path("duration_ms").asDouble(-1);
        int output = row.path("output_tokens").asInt(0);
        if (ttft >= 0 && duration > ttft && output > 1) {
            row.put("tokens_per_second", Math.round((output - 1) * 10_000.0 / (duration - ttft)) / 10.0);
        }
        return row;
    }

    private ObjectNode status() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("uptime_seconds",
                (System.currentTimeMillis() - started) / 1000);
        body.set("backend", backend());
        ObjectNode models = body.putObject("models").put("default", defaultModel);
        modelMap.entries().forEach(models.putObject("map")::put);
        ArrayNode underWay = body.putArray("live");
        live.forEach(entry -> underWay.add(row(entry)));
        ArrayNode last = body.putArray("recent");
        ArrayNode errors = body.putArray("errors");
        synchronized (recent) {
            for (ObjectNode row : recent) {
                last.add(row);
                if ((row.path("status").asInt() >= 400 || row.has("error_type")) && errors.size() < 20) {
                    errors.add(row);
                }
            }
        }
        body.set("sessions", sessions());
        return body;
    }

    private ObjectNode sessions() {
        if (sessions == null) {
            return Json.MAPPER.createObjectNode().put("enabled", false);
        }
        long now = System.nanoTime();
        ObjectNode known = sessionSummary;
        if (known == null || now - sessionsCheckedAt >= BACKEND_CHECK_NANOS) {
            known = sessions.summary().put("enabled", true);
            sessionSummary = known;
            sessionsCheckedAt = now;
        }
        return known;
    }

    /** Asked at most every five seconds, whoever polls: the page must not load the backend. */
    private ObjectNode backend() {
        long now = System.nanoTime();
        ObjectNode known = backend;
        if (known != null && now - backendCheckedAt < BACKEND_CHECK_NANOS) {
            return known;
        }
        ObjectNode fresh = Json.MAPPER.createObjectNode().put("name", upstream.name()).put("url", upstream.url());
        try {
            fresh.put("reachable", true).put("version", upstream.version());
        } catch (ProxyError e) {
            fresh.put("reachable", false).put("error", e.getMessage());
        }
        backend = fresh;
        backendCheckedAt = now;
        return fresh;
    }

    private static String resource(String name) {
        try (InputStream in = StatusPage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
