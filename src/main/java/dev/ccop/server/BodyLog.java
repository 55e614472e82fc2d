package dev.ccop.server;

import io.javalin.config.Key;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-bodies}: each request's body and its answer's (a whole answer, or a stream as it was written), with
 * anything that looks like a secret replaced, logged at the end of the request under its id. At most
 * {@value #LIMIT} bytes of each. Off by default: prompts are logged nowhere else.
 */
final class BodyLog {
    static final Key<Boolean> ENABLED = new Key<>("ccop.log-bodies");
    private static final String REQUEST = "ccop.request-body";
    private static final String STREAMED = "ccop.streamed-answer";
    private static final int LIMIT = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(BodyLog.class);
    private static final Pattern SECRET_FIELD = Pattern.compile(
            "(\"[\\w-]*(?:api[_-]?key|apikey|secret|password|authorization|access_token|refresh_token)[\\w-]*\""
                    + "\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk-[a-z]{0,12}-?)[A-Za-z0-9_\\-]{12,}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"]+");

    private BodyLog() {}

    static boolean enabled(Context ctx) {
        Boolean on = ctx.appData(ENABLED);
        return on != null && on;
    }

    static void keepRequest(Context ctx, byte[] body) {
        if (enabled(ctx)) {
            ctx.attribute(REQUEST, body);
        }
    }

    /** {@code out}, or a stream that also keeps what is written, when bodies are logged. */
    static OutputStream tee(Context ctx, OutputStream out) {
        if (!enabled(ctx)) {
            return out;
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        ctx.attribute(STREAMED, copy);
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, Math.max(0, Math.min(len, LIMIT + 1 - copy.size())));
                }
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        };
    }

    static void write(Context ctx, String requestId) {
        byte[] request = ctx.attribute(REQUEST);
        ByteArrayOutputStream streamed = ctx.attribute(STREAMED);
        String answer;
        if (streamed != null) {
            synchronized (streamed) {
                answer = streamed.toString(StandardCharsets.UTF_8);
            }
        } else {
            answer = ctx.result();
        }
        LOG.atInfo().addKeyValue("request_id", requestId)
                .addKeyValue("request_body", request == null ? null : shown(new String(request, StandardCharsets.UTF_8)))
                .addKeyValue("answer_body", answer == null ? null : shown(answer))
                .log("bodies of {} {}", ctx.method(), ctx.path());
    }

    private static String shown(String text) {
        String cut = text.length() > LIMIT ? text.substring(0, LIMIT) + " …[cut at " + LIMIT + " bytes]" : text;
        return redact(cut);
    }

    static String redact(String text) {
        String redacted = SECRET_FIELD.matcher(text).replaceAll("$1\"[redacted]\"");
        redacted = BEARER.matcher(redacted).replaceAll("$1[redacted]");
        return KEY_LIKE.matcher(redacted).replaceAll("$1[redacted]");
    }
}
