package dev.ccop.server;

import dev.ccop.observe.RequestRecord;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request, at its end: method, path, status, front, request id, and for an answer the models, session,
 * tokens, time to first token and duration — never prompt text. The proxy's own paths ({@link OwnPaths}) log at debug
 * level.
 */
final class RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private RequestLog() {}

    static void write(Context ctx, String front, String requestId, RequestRecord record) {
        Level level = OwnPaths.contains(ctx.path()) ? Level.DEBUG : Level.INFO;
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        LoggingEventBuilder line = LOG.atLevel(level).addKeyValue("request_id", requestId)
                .addKeyValue("method", ctx.method().name()).addKeyValue("path", ctx.path())
                .addKeyValue("status", ctx.statusCode()).addKeyValue("front", front);
        if (record != null) {
            record.describe(line::addKeyValue);
        }
        line.log("{} {} {}", ctx.method(), ctx.path(), ctx.statusCode());
    }
}
