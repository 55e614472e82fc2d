package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP answer's body as lines, whichever client fetched it: a status other than 200 is the upstream's error, told
 * by the first 64 KiB of its body; a body that ends or breaks before the answer is complete is a cut answer; a complete
 * answer's body is read to its end, so that its connection can serve the next request.
 */
abstract class HttpAnswerLines implements LineSource {
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final String upstream;
    private final UpstreamErrors errors;
    private final int maxLineBytes;
    private Utf8LineReader reader;

    /** {@code upstream} names the other side in messages; a line longer than {@code maxLineBytes} ends the answer. */
    HttpAnswerLines(String upstream, UpstreamErrors errors, int maxLineBytes) {
        this.upstream = upstream;
        this.errors = errors;
        this.maxLineBytes = maxLineBytes;
    }

    /** The request failed before an answer's head arrived. */
    final ChatEvent.Failed transportFailed(Throwable cause) {
        return new ChatEvent.Failed(errors.transport(cause));
    }

    /**
     * The answer's head has arrived: the upstream's error when its status is not 200 (the body is then read and
     * closed), else null, and the body's lines are ready to be read.
     */
    final ChatEvent.Failed answered(int status, InputStream body) {
        if (status != 200) {
            String text;
            try (InputStream in = body) {
                text = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            return new ChatEvent.Failed(errors.status(status, text));
        }
        reader = new Utf8LineReader(body, maxLineBytes);
        return null;
    }

    @Override
    public final Utf8LineReader reader() {
        return reader;
    }

    @Override
    public final ChatEvent.Failed endedEarly(Exception cause) {
        return LineSource.httpAnswerCut(upstream, cause);
    }

    @Override
    public final void finished() {
        LineSource.drainThenClose(reader, this::close);
    }
}
