package dev.ccop.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.config.Config;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Ids;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.RepairStats;
import dev.ccop.core.UpstreamInfo;
import dev.ccop.observe.ProxyMetrics;
import dev.ccop.observe.RequestRecord;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP wiring only: request ids, size limit, the fronts' routes, health, and errors rendered in the dialect of the
 * front that owns the path.
 */
public final class ProxyServer {
    public static final String REQUEST_ID = "request-id";
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final int ACCEPT_QUEUE = 4096;
    private static final int RESPONSE_BUFFER = 4096;
    private static final String RECORD = "ccop.request-record";
    private static final String LIVE = "ccop.live-request";

    private final Javalin app;
    private final List<Front> fronts;
    private final UpstreamInfo upstream;
    private final Watchers watchers;
    private final OpenAnswers openAnswers = new OpenAnswers();

    /**
     * What watches the traffic: metrics, tool-call repair counts, the status page, and whether request and answer
     * bodies go to the log ({@code --log-bodies}).
     */
    public record Watchers(ProxyMetrics metrics, RepairStats repairs, StatusPage status, boolean logBodies) {}

    public ProxyServer(Config.Server settings, List<Front> fronts, UpstreamInfo upstream, Watchers watchers) {
        String apiKey = settings.apiKey();
        ApiKeyCheck keyCheck = apiKey == null ? null : new ApiKeyCheck(apiKey);
        BrowserGuard browsers = new BrowserGuard(settings.host(), settings.allowedOrigins(), settings.allowedHosts());
        this.fronts = List.copyOf(fronts);
        this.upstream = upstream;
        this.watchers = watchers;
        this.app = Javalin.create(cfg -> {
            cfg.jetty.addConnector((server, httpConfig) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                // The JDK's default listen backlog is 50: a burst of new connections (many clients opening streams at
                // once) would overflow it and see connections dropped before a byte is answered.
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            cfg.concurrency.useVirtualThreads = true;
            cfg.appData(RequestBodies.MAX_BYTES, settings.maxRequestBytes()); // bodies are read by RequestBodies, not Javalin
            cfg.appData(OpenAnswers.KEY, openAnswers);
            cfg.appData(BodyLog.ENABLED, watchers.logBodies());
            // Jetty's default 32 KB aggregation buffer per response, kept for a stream's whole life, dominated the
            // memory of many open streams; event frames are small and flushed one by one.
            cfg.http.responseBufferSize = RESPONSE_BUFFER;
            // Event streams must never be compressed or buffered; JSON answers here are small.
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.routes.before(ctx -> {
                String id = Ids.requestId();
                RequestRecord record = RequestRecord.open();
                ctx.attribute(RECORD, record);
                ctx.attribute(LIVE, watchers.status().started(ctx, id, record));
                ctx.attribute(REQUEST_ID, id);
                ctx.header(REQUEST_ID, id);
                if (browsers.checkSource(ctx)) {
                    ctx.skipRemainingHandlers(); // a CORS preflight, answered
                    return;
                }
                // The status page itself holds no data (it asks for the key to read /ui/status.json).
                if (keyCheck != null && !ctx.path().equals("/health") && !ctx.path().equals("/ui")) {
                    keyCheck.require(ctx);
                }
                browsers.checkBody(ctx);
            });
            // Ollama's own answer: Ollama clients probe it; /health says which server this is.
            cfg.routes.get("/", ctx -> {
                if (StatusPage.wantsPage(ctx)) {
                    ctx.redirect("/ui"); // a person with a browser
                } else {
                    ctx.contentType("text/plain; charset=utf-8").result("Ollama is running");
                }
            });
            watchers.status().register(cfg.routes);
            cfg.routes.head("/", ctx -> ctx.contentType("text/plain"));
            // /health answers anyone, at once, and tells nothing about the set-up; /health/details asks the backend and
            // says where it is, so it needs the key when one is set.
            cfg.routes.get("/health", ctx -> ctx.contentType("application/json")
                    .result("{\"status\":\"ok\",\"service\":\"claude-code-ollama-proxy\"}"));
            cfg.routes.get("/health/details", this::health);
            // Behind the key like everything but /health: model names and traffic are the user's business.
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(watchers.metrics().scrape()));
            cfg.routes.after(ctx -> {
                Front front = frontFor(ctx.path());
                String frontName = front == null ? "none" : front.name();
                watchers.metrics().request(frontName, ctx.statusCode());
                watchers.status().finished(ctx.attribute(LIVE), frontName, ctx.statusCode());
                RequestLog.write(ctx, frontName, ctx.attribute(REQUEST_ID), ctx.attribute(RECORD));
                if (BodyLog.enabled(ctx)) {
                    BodyLog.write(ctx, ctx.attribute(REQUEST_ID));
                }
                RequestRecord.close();
            });
            this.fronts.forEach(front -> front.register(cfg.routes));
            cfg.routes.exception(ProxyError.class, (e, ctx) -> renderError(ctx, e));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> renderError(ctx,
                    new ProxyError(ErrorKind.forStatus(e.getStatus()), e.getStatus(), describe(e, ctx))));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {} ({})", ctx.method(), ctx.path(), ctx.attribute(REQUEST_ID), e);
                // The details go to the log under the request id; the client gets no class names or stack frames.
                renderError(ctx, new ProxyError(ErrorKind.API_ERROR, 500, "Internal proxy error; the proxy's log has"
                        + " the details under request id " + ctx.attribute(REQUEST_ID) + "."));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    renderError(ctx, ProxyError.notFound("Not found: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    public ProxyServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    /**
     * Stops gracefully: no new connections; the answers under way get {@code drain} to finish; the rest are ended with
     * their dialect's error (the proxy is shutting down), and then the server stops.
     */
    public void stop(Duration drain) {
        for (Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector listening) {
                listening.close(); // stops accepting; connections already open go on
            }
        }
        try {
            if (!openAnswers.awaitNone(drain)) {
                LOG.info("ending {} answers still under way after {} s", openAnswers.size(), drain.toSeconds());
                openAnswers.endAll();
                openAnswers.awaitNone(Duration.ofSeconds(2)); // time to write their error events
            }
            Thread.sleep(200); // a request's bookkeeping (log line, metrics) runs just after its answer is complete
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    private void health(Context ctx) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode up = MAPPER.createObjectNode().put("backend", upstream.name()).put("url", upstream.url());
        try {
            up.put("reachable", true).put("version", upstream.version());
            body.put("status", "ok");
        } catch (ProxyError e) {
            up.put("reachable", false).put("error", e.getMessage());
            body.put("status", "degraded");
        }
        if (!upstream.hosts().isEmpty()) {
            var pool = up.putArray("hosts");
            upstream.hosts().forEach(h -> pool.addObject().put("url", h.url()).put("state", h.state())
                    .put("outstanding", h.outstanding()));
        }
        body.set("upstream", up);
        ObjectNode repairs = body.putObject("tool_call_repairs");
        new java.util.TreeMap<>(watchers.repairs().snapshot()).forEach(repairs::put);
        ctx.contentType("application/json").result(body.toString());
    }

    private void renderError(Context ctx, ProxyError error) {
        String requestId = ctx.attribute(REQUEST_ID);
        if (error.status() == 429 || error.status() == 529) {
            ctx.header("Retry-After", "1"); // a busy pool or upstream: a short wait, as Anthropic's API asks for
        }
        if (error.status() >= 500) {
            LOG.warn("{} {} -> {} {}", ctx.method(), ctx.path(), error.status(), error.getMessage());
        } else {
            LOG.debug("{} {} -> {} {}", ctx.method(), ctx.path(), error.status(), error.getMessage());
        }
        Front front = frontFor(ctx.path());
        if (front != null) {
            front.renderError(ctx, error, requestId);
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.putObject("error").put("type", error.kind().name().toLowerCase()).put("message", error.getMessage());
        body.put("request_id", requestId);
        ctx.status(error.status()).contentType("application/json").result(body.toString());
    }

    /** The front whose longest error path prefixes {@code path}; null when none does. */
    private Front frontFor(String path) {
        Front owner = null;
        int longest = -1;
        for (Front front : fronts) {
            for (String prefix : front.errorPaths()) {
                if (path.startsWith(prefix) && prefix.length() > longest) {
                    owner = front;
                    longest = prefix.length();
                }
            }
        }
        return owner;
    }

    private static String describe(HttpResponseException e, Context ctx) {
        return e.getMessage() + " (" + ctx.method() + " " + ctx.path() + ")";
    }
}
