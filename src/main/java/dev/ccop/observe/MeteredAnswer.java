package dev.ccop.observe;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ForwardingChatStream;

/**
 * Reads an answer for the front and notes, on the way, when its first event and first token came, what it cost in
 * tokens and how it ended; the figures go to {@link ProxyMetrics} once, when the answer ends or is closed.
 */
final class MeteredAnswer extends ForwardingChatStream {
    private final ProxyMetrics.AnswerMeters meters;
    private final long started = System.nanoTime();
    private long firstEvent = -1;
    private long firstToken = -1;
    private boolean recorded;
    private boolean closed;

    MeteredAnswer(ChatStream inner, ProxyMetrics.AnswerMeters meters) {
        super(inner);
        this.meters = meters;
    }

    @Override
    public ChatEvent next() {
        ChatEvent event = inner.next();
        long now = System.nanoTime();
        if (event != null && firstEvent < 0) {
            firstEvent = now;
            meters.upstreamLatency(now - started);
        }
        switch (event) {
            case ChatEvent.TextDelta t -> firstToken(now);
            case ChatEvent.ReasoningDelta r -> firstToken(now);
            case ChatEvent.ToolCall c -> firstToken(now);
            case ChatEvent.Finished finished -> {
                record(now, null);
                meters.usage(finished.usage(), firstToken < 0 ? -1 : now - firstToken);
            }
            case ChatEvent.Failed failed -> record(now, failed.error().kind().name().toLowerCase());
            case null, default -> { }
        }
        return event;
    }

    private void firstToken(long now) {
        if (firstToken < 0) {
            firstToken = now;
            meters.timeToFirstToken(now - started);
        }
    }

    private synchronized void record(long now, String errorType) {
        if (!recorded) {
            recorded = true;
            meters.ended(now - started, errorType);
        }
    }

    @Override
    public synchronized void close() {
        try {
            inner.close();
        } finally {
            if (!closed) {
                closed = true;
                record(System.nanoTime(), "client_gone"); // nothing when the answer has already ended
                meters.closed();
            }
        }
    }
}
