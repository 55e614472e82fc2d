package dev.ccop.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.Ticker;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How every front answers: a stream relayed event by event, or the same events folded into one JSON body. */
public final class Answers {
    /** The response header that names the backend model that answered, whatever name the client asked for. */
    public static final String UPSTREAM_MODEL = "X-Upstream-Model";
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {}

    /** Says which backend model answers (a header on every front's answers). */
    public static void upstreamModel(Context ctx, String model) {
        ctx.header(UPSTREAM_MODEL, model);
    }

    /** Relays the answer as a stream in the encoder's format (no caching or buffering on the way). */
    public static void stream(Context ctx, StreamEncoder encoder, ChatStream answer, Duration pingInterval)
            throws IOException {
        ChatStream upstream = tracked(ctx, answer);
        ctx.status(200);
        ctx.res().setContentType(encoder.contentType());
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        // A format with keep-alives notices a hang-up when one fails to write; one without (NDJSON) needs watching.
        try (HangUpWatch watch = encoder.ping().isEmpty() ? HangUpWatch.start(ctx, upstream::close, Ticker.SYSTEM)
                : null) {
            new EventStreamSession(BodyLog.tee(ctx, ctx.res().getOutputStream()), encoder, upstream, pingInterval,
                    Ticker.SYSTEM).run();
        }
    }

    /**
     * Folds the answer with {@code fold}, which returns the whole body on the terminal event (and throws the error of
     * a failure, which the server renders in the front's dialect), and null before it.
     */
    public static void whole(Context ctx, ChatStream answer, Function<ChatEvent, ObjectNode> fold) {
        ChatStream upstream = tracked(ctx, answer);
        try (upstream; HangUpWatch watch = HangUpWatch.start(ctx, upstream::close, Ticker.SYSTEM)) {
            ChatEvent event;
            while ((event = upstream.next()) != null) {
                ObjectNode body = fold.apply(event);
                if (body != null) {
                    send(ctx, body.toString().getBytes(StandardCharsets.UTF_8));
                    return;
                }
            }
        }
        throw new IllegalStateException("the backend stream ended without a terminal event");
    }

    /**
     * Writes the whole body and completes the response at once: the client has its answer before the proxy's
     * bookkeeping for the request (which runs after the handler, where a {@code ctx.result} would be written).
     */
    private static void send(Context ctx, byte[] json) {
        ctx.res().setContentType("application/json");
        ctx.res().setContentLength(json.length);
        try (OutputStream out = BodyLog.tee(ctx, ctx.res().getOutputStream())) {
            out.write(json);
        } catch (IOException e) {
            LOG.debug("client disconnected before its answer was written");
        }
    }

    /** The answer, known to the server while it is under way (a stopping server ends it properly). */
    private static ChatStream tracked(Context ctx, ChatStream answer) {
        OpenAnswers open = ctx.appData(OpenAnswers.KEY);
        return open == null ? answer : open.track(answer);
    }

    /**
     * Copies an upstream answer to the client byte for byte as it arrives (a passthrough). A client that hangs up
     * closes {@code body}, which cancels the upstream request, and so does an upstream silent for longer than
     * {@code idleTimeout}; when the upstream breaks or goes silent mid-answer, {@code brokenEnd} gives what ends the
     * client's stream (its terminal event; empty for a format that has none).
     */
    public static void copy(Context ctx, int status, String contentType, InputStream body, Duration idleTimeout,
            Function<IOException, String> brokenEnd) throws IOException {
        ctx.status(status);
        ctx.res().setContentType(contentType);
        OutputStream out = ctx.res().getOutputStream();
        AtomicLong lastRead = new AtomicLong(Ticker.SYSTEM.nanoTime());
        AtomicBoolean silent = new AtomicBoolean();
        Duration check = idleTimeout.dividedBy(2).compareTo(Duration.ofSeconds(1)) < 0
                ? idleTimeout.dividedBy(2) : Duration.ofSeconds(1);
        Ticker.Cancellable idle = Ticker.SYSTEM.every(check, () -> {
            if (Ticker.SYSTEM.nanoTime() - lastRead.get() > idleTimeout.toNanos() && silent.compareAndSet(false, true)) {
                closeQuietly(body); // the read below then fails, and the stream ends with its error event
            }
        });
        try (InputStream in = body; HangUpWatch watch = HangUpWatch.start(ctx, () -> closeQuietly(in), Ticker.SYSTEM)) {
            byte[] buffer = new byte[8192];
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                    lastRead.set(Ticker.SYSTEM.nanoTime());
                } catch (IOException e) {
                    String end = brokenEnd.apply(silent.get() ? new IOException("it sent nothing for "
                            + idleTimeout.toSeconds() + " s (--request-timeout)") : e);
                    if (!end.isEmpty()) {
                        out.write(end.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    return;
                }
                if (read < 0) {
                    return;
                }
                try {
                    out.write(buffer, 0, read);
                    out.flush();
                } catch (IOException clientGone) {
                    return; // closing the upstream body (try-with-resources) cancels the request
                }
            }
        } finally {
            idle.cancel();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all that was wanted
        }
    }
}
