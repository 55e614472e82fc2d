package dev.ccop.server;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.Ticker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one answer to a streaming client in any dialect: the preamble at once, each event flushed as soon as it
 * arrives, keep-alives while the backend is silent, and always a terminal frame. A failed write means the client is
 * gone, and closing the upstream stream makes the backend stop generating.
 */
public final class EventStreamSession {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamSession.class);

    private final OutputStream out;
    private final StreamEncoder encoder;
    private final ChatStream upstream;
    private final long pingIntervalNanos;
    private final Ticker ticker;
    private final Ticker.Cancellable keepAlive;
    /** Guards the output stream: the relay and keep-alives write from different threads. */
    private final ReentrantLock writing = new ReentrantLock();
    private volatile long lastWrite;
    private volatile boolean clientGone;
    private boolean finished;

    public EventStreamSession(OutputStream out, StreamEncoder encoder, ChatStream upstream, Duration pingInterval,
            Ticker ticker) {
        this.out = out;
        this.encoder = encoder;
        this.upstream = upstream;
        this.pingIntervalNanos = pingInterval.toNanos();
        this.ticker = ticker;
        this.lastWrite = ticker.nanoTime();
        // A format without keep-alives (NDJSON) needs no ticking at all.
        this.keepAlive = encoder.ping().isEmpty() ? null : ticker.every(pingInterval.dividedBy(2), this::pingIfIdle);
    }

    /** Blocks until the answer has been relayed, failed, or the client has gone. */
    public void run() {
        try {
            write(encoder.start(), true);
            ChatEvent event;
            while (!clientGone && (event = upstream.next()) != null) {
                if (clientGone) {
                    break;
                }
                // Events whose lines arrived together are written together and flushed once; an event the upstream
                // has not followed yet is flushed at once.
                write(encoder.encode(event), !upstream.hasBuffered());
            }
        } finally {
            if (keepAlive != null) {
                keepAlive.cancel();
            }
            writing.lock();
            try {
                finished = true; // a keep-alive that was already due must not write into a completed response
            } finally {
                writing.unlock();
            }
            upstream.close();
        }
    }

    /**
     * Runs on the shared ticker thread, so the write goes to a virtual thread of its own (a slow client must not
     * hold up other streams' keep-alives), and is skipped when another write is under way.
     */
    private void pingIfIdle() {
        if (ticker.nanoTime() - lastWrite >= pingIntervalNanos) {
            Thread.startVirtualThread(() -> {
                if (writing.tryLock()) {
                    try {
                        writeLocked(encoder.ping(), true);
                    } finally {
                        writing.unlock();
                    }
                }
            });
        }
    }

    private void write(String frames, boolean flush) {
        writing.lock();
        try {
            writeLocked(frames, flush);
        } finally {
            writing.unlock();
        }
    }

    private void writeLocked(String frames, boolean flush) {
        if (clientGone || finished || (frames.isEmpty() && !flush)) {
            return;
        }
        try {
            out.write(frames.getBytes(StandardCharsets.UTF_8));
            if (flush) {
                out.flush();
            }
            lastWrite = ticker.nanoTime();
        } catch (IOException e) {
            clientGone = true;
            LOG.debug("client disconnected; cancelling the upstream request");
            upstream.close();
        }
    }
}
