package dev.ccop.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.Ticker;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/** How every front answers: a stream relayed event by event, or the same events folded into one JSON body. */
public final class Answers {
    private Answers() {}

    /** Relays the answer as a stream in the encoder's format (no caching or buffering on the way). */
    public static void stream(Context ctx, StreamEncoder encoder, ChatStream upstream, Duration pingInterval)
            throws IOException {
        ctx.status(200);
        ctx.res().setContentType(encoder.contentType());
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        new EventStreamSession(ctx.res().getOutputStream(), encoder, upstream, pingInterval, Ticker.SYSTEM).run();
    }

    /**
     * Folds the answer with {@code fold}, which returns the whole body on the terminal event (and throws the error of
     * a failure, which the server renders in the front's dialect), and null before it.
     */
    public static void whole(Context ctx, ChatStream upstream, Function<ChatEvent, ObjectNode> fold) {
        try (upstream) {
            ChatEvent event;
            while ((event = upstream.next()) != null) {
                ObjectNode body = fold.apply(event);
                if (body != null) {
                    ctx.contentType("application/json").result(body.toString());
                    return;
                }
            }
        }
        throw new IllegalStateException("the backend stream ended without a terminal event");
    }
}
