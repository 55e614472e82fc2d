package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.IOException;

/**
 * A streamed answer's lines over a kept plain-HTTP connection ({@link Http1Connections}), read on the caller's own
 * thread. Closing closes the connection, before the head arrives or mid-body: the upstream sees it go and stops
 * generating. A complete answer hands the connection back for the next request.
 */
public final class SocketLineSource extends HttpAnswerLines {
    private final String path;
    private final byte[] body;
    private final Http1Exchange exchange;
    private volatile boolean closed;

    /** {@code upstream} names the other side in messages; a line longer than {@code maxLineBytes} ends the answer. */
    public SocketLineSource(String upstream, Http1Connections connections, String path, byte[] body,
            UpstreamErrors errors, int maxLineBytes) {
        super(upstream, errors, maxLineBytes);
        this.path = path;
        this.body = body;
        this.exchange = new Http1Exchange(connections);
    }

    @Override
    public ChatEvent.Failed open() {
        try {
            exchange.post(path, body);
        } catch (IOException e) {
            return closed ? new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"))
                    : transportFailed(e);
        }
        if (closed) {
            exchange.close();
        }
        ChatEvent.Failed failure = answered(exchange.status(), exchange.body());
        if (failure != null) {
            exchange.close(); // closing the body alone leaves the connection open
        }
        return failure;
    }

    @Override
    public void close() {
        closed = true;
        exchange.close();
    }
}
