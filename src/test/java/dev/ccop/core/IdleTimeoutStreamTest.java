package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.ManualTicker;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class IdleTimeoutStreamTest {
    private final ManualTicker ticker = new ManualTicker();

    /** A backend stream the test feeds; closing it ends a pending {@code next()} with a failure, as the real ones do. */
    private static final class Upstream implements ChatStream {
        final BlockingQueue<ChatEvent> events = new LinkedBlockingQueue<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public ChatEvent next() {
            if (closed.get()) {
                return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "closed"));
            }
            return events.poll();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void aSilentBackendIsClosedAndReportedAsATimeout() {
        Upstream upstream = new Upstream();
        IdleTimeoutStream stream = new IdleTimeoutStream(upstream, Duration.ofSeconds(10), ticker);

        ticker.advance(Duration.ofSeconds(9));
        assertThat(upstream.closed).isFalse();
        ticker.advance(Duration.ofSeconds(2));
        assertThat(upstream.closed).isTrue();

        ChatEvent event = stream.next();
        assertThat(event).isInstanceOf(ChatEvent.Failed.class);
        ProxyError error = ((ChatEvent.Failed) event).error();
        assertThat(error.status()).isEqualTo(504);
        assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(error.getMessage()).contains("--request-timeout");
    }

    @Test
    void everyEventRestartsTheDeadlineAndTheEndStopsTheCheck() {
        Upstream upstream = new Upstream();
        IdleTimeoutStream stream = new IdleTimeoutStream(upstream, Duration.ofSeconds(10), ticker);
        for (int i = 0; i < 5; i++) {
            ticker.advance(Duration.ofSeconds(8));
            upstream.events.add(new ChatEvent.TextDelta("x"));
            assertThat(stream.next()).isEqualTo(new ChatEvent.TextDelta("x"));
        }
        assertThat(upstream.closed).isFalse();

        upstream.events.add(new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 1)));
        assertThat(stream.next()).isInstanceOf(ChatEvent.Finished.class);
        assertThat(ticker.pending()).isZero();
    }
}
