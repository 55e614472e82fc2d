package dev.ccop.server;

import dev.ccop.core.Ticker;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a client that hangs up while nothing is being written to it — a non-streamed answer being prepared, an
 * NDJSON stream in a long prefill — so that the upstream work (Ollama generating, an agent run holding its slot) stops
 * within a second instead of running to its end. Jetty itself only notices on the next write.
 *
 * <p>It polls the connection with a non-blocking one-byte read: the request body has been read whole by then and an
 * HTTP/1.1 client sends nothing more until it has its answer, so end-of-stream means the client has gone. A client
 * that pipelines its next request anyway has that byte consumed here; the connection is then closed after this
 * answer, and the client sends the request again on a new one.
 */
final class HangUpWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangUpWatch.class);
    static final Duration PERIOD = Duration.ofMillis(250);

    private final EndPoint endPoint;
    private final Context ctx;
    private final Runnable onHangUp;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Ticker.Cancellable polling;

    private HangUpWatch(Context ctx, EndPoint endPoint, Runnable onHangUp, Ticker ticker) {
        this.ctx = ctx;
        this.endPoint = endPoint;
        this.onHangUp = onHangUp;
        this.polling = ticker.every(PERIOD, this::poll);
    }

    /** Starts watching; {@code onHangUp} runs once, on the ticker, if the client goes. Close when the answer is done. */
    static HangUpWatch start(Context ctx, Runnable onHangUp, Ticker ticker) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        EndPoint endPoint = request == null ? null : request.getConnectionMetaData().getConnection().getEndPoint();
        return new HangUpWatch(ctx, endPoint, onHangUp, endPoint == null ? Ticker.NEVER : ticker);
    }

    private void poll() {
        if (stopped.get()) {
            return;
        }
        int read;
        try {
            read = endPoint.fill(BufferUtil.allocate(1));
        } catch (IOException e) {
            read = -1; // reset by the peer
        }
        if (read < 0) {
            LOG.debug("client hung up; cancelling the upstream request");
            stop();
            onHangUp.run();
        } else if (read > 0) {
            stop();
            ctx.header("Connection", "close"); // the pipelined request's first byte is gone: let the client resend
        }
    }

    private void stop() {
        if (stopped.compareAndSet(false, true)) {
            polling.cancel();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
