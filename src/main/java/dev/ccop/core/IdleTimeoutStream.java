package dev.ccop.core;

import java.time.Duration;

/**
 * Fails a {@link ChatStream} whose backend stays silent longer than the timeout — before its first event (a slow
 * prefill) or between two events — with a 504 that says so, and cancels the upstream request.
 */
public final class IdleTimeoutStream extends ForwardingChatStream {
    private final Duration timeout;
    private final Ticker ticker;
    private final Ticker.Cancellable check;
    private volatile long lastActivity;
    private volatile boolean timedOut;

    public IdleTimeoutStream(ChatStream inner, Duration timeout) {
        this(inner, timeout, Ticker.SYSTEM);
    }

    public IdleTimeoutStream(ChatStream inner, Duration timeout, Ticker ticker) {
        super(inner);
        this.timeout = timeout;
        this.ticker = ticker;
        this.lastActivity = ticker.nanoTime();
        Duration period = timeout.dividedBy(2).compareTo(Duration.ofSeconds(1)) < 0
                ? timeout.dividedBy(2) : Duration.ofSeconds(1);
        this.check = ticker.every(period, this::checkIdle);
    }

    private void checkIdle() {
        if (ticker.nanoTime() - lastActivity > timeout.toNanos()) {
            timedOut = true;
            check.cancel();
            inner.close();
        }
    }

    @Override
    public ChatEvent next() {
        ChatEvent event = inner.next();
        lastActivity = ticker.nanoTime();
        if (timedOut && event instanceof ChatEvent.Failed) {
            return new ChatEvent.Failed(new ProxyError(ErrorKind.TIMEOUT, 504, "The backend sent nothing for "
                    + timeout.toSeconds() + " s (--request-timeout). A large prompt on a slow machine can take"
                    + " minutes before the first token; raise --request-timeout if this is expected."));
        }
        if (event == null || event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed) {
            check.cancel();
        }
        return event;
    }

    @Override
    public void close() {
        check.cancel();
        inner.close();
    }
}
