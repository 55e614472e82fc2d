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
 * Relays one answer to a streaming client in any dialect: each event flushed as soon as it arrives, keep-alives while
 * the backend is silent, and always a terminal frame. A failed write means the client is gone, and closing the upstream
 * stream makes the backend stop generating.
 *
 * <p>Written so that one user's answer costs few system calls: the preamble (headers and start frame) goes out with the
 * first events, or a tick later when the upstream is slow to answer, so the upstream request is sent first; events that
 * arrived together are written with one flush; the terminal frame completes the response at once, in the same write
 * as the end of the body, before the proxy's bookkeeping for the request.
 */
public final class EventStreamSession {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamSession.class);
    /** How long the preamble may wait for the first events to go out with it. */
    private static final Duration PREAMBLE_WAIT = Duration.ofMillis(20);

    private enum Flush { NO, NOW, END }

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
    private volatile boolean unflushed;
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
        Ticker.Cancellable preambleFlush = ticker.after(PREAMBLE_WAIT, this::flushPreamble);
        try {
            write(encoder.start(), Flush.NO);
            ChatEvent event;
            while (!clientGone && (event = upstream.next()) != null) {
                if (clientGone) {
                    break;
                }
                boolean last = event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed;
                // Events whose lines arrived together are written together and flushed once; an event the upstream
                // has not followed yet is flushed at once.
                write(encoder.encode(event), last ? Flush.END : upstream.hasBuffered() ? Flush.NO : Flush.NOW);
            }
        } finally {
            preambleFlush.cancel();
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

    /** Runs on the shared ticker thread: a ping when nothing was written for a ping interval. */
    private void pingIfIdle() {
        if (ticker.nanoTime() - lastWrite >= pingIntervalNanos) {
            writeAside(encoder.ping());
        }
    }

    /** Runs on the shared ticker thread when the upstream has not answered within a tick: the preamble goes out. */
    private void flushPreamble() {
        if (unflushed) {
            writeAside("");
        }
    }

    /**
     * Writes and flushes for a ticker chore, on a virtual thread of its own (a slow client must not hold up other
     * streams' chores); skipped when the relay is writing anyway.
     */
    private void writeAside(String frames) {
        Thread.startVirtualThread(() -> {
            if (writing.tryLock()) {
                try {
                    writeLocked(frames, Flush.NOW);
                } finally {
                    writing.unlock();
                }
            }
        });
    }

    private void write(String frames, Flush flush) {
        writing.lock();
        try {
            writeLocked(frames, flush);
        } finally {
            writing.unlock();
        }
    }

    private void writeLocked(String frames, Flush flush) {
        if (clientGone || finished) {
            return;
        }
        try {
            if (!frames.isEmpty()) {
                out.write(frames.getBytes(StandardCharsets.UTF_8));
                lastWrite = ticker.nanoTime();
            }
            switch (flush) {
                case NO -> unflushed = true; // with no frames: the headers, not sent yet
                case NOW -> out.flush();
                case END -> {
                    finished = true;
                    out.close(); // completes the response: the rest of the body and its end in one write
                }
            }
            if (flush != Flush.NO) {
                unflushed = false;
            }
        } catch (IOException e) {
            clientGone = true;
            LOG.debug("client disconnected; cancelling the upstream request");
            upstream.close();
        }
    }
}
