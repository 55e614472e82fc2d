package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed answer's lines over a kept plain-HTTP connection ({@link Http1Connections}), read on the caller's own
 * thread. Closing closes the connection, before the head arrives or mid-body: the upstream sees it go and stops
 * generating. A complete answer hands the connection back for the next request.
 */
public final class SocketLineSource implements LineSource {
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final String upstream;
    private final String path;
    private final byte[] body;
    private final UpstreamErrors errors;
    private final int maxLineBytes;
    private final Http1Exchange exchange;
    private volatile boolean closed;
    private Utf8LineReader reader;

    /** {@code upstream} names the other side in messages; a line longer than {@code maxLineBytes} ends the answer. */
    public SocketLineSource(String upstream, Http1Connections connections, String path, byte[] body,
            UpstreamErrors errors, int maxLineBytes) {
        this.upstream = upstream;
        this.path = path;
        this.body = body;
        this.errors = errors;
        this.maxLineBytes = maxLineBytes;
        this.exchange = new Http1Exchange(connections);
    }

    @Override
    public ChatEvent.Failed open() {
        try {
            exchange.post(path, body);
        } catch (IOException e) {
            return closed ? new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"))
                    : new ChatEvent.Failed(errors.transport(e));
        }
        if (closed) {
            exchange.close();
        }
        if (exchange.status() != 200) {
            String text;
            try (InputStream in = exchange.body()) {
                text = new String(in.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            } finally {
                exchange.close();
            }
            return new ChatEvent.Failed(errors.status(exchange.status(), text));
        }
        reader = new Utf8LineReader(exchange.body(), maxLineBytes);
        return null;
    }

    @Override
    public Utf8LineReader reader() {
        return reader;
    }

    @Override
    public ChatEvent.Failed endedEarly(Exception cause) {
        return LineSource.httpAnswerCut(upstream, cause);
    }

    @Override
    public void finished() {
        LineSource.drainThenClose(reader, this::close);
    }

    @Override
    public void close() {
        closed = true;
        exchange.close();
    }
}
