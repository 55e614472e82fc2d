package dev.ccop.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.StopReason;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.Usage;
import dev.ccop.testing.ManualTicker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventStreamSessionTest {
    private final ManualTicker ticker = new ManualTicker();

    /** Frames named after the event, so the written bytes show the order. */
    private static final class Frames implements StreamEncoder {
        @Override
        public String contentType() {
            return "text/test";
        }

        @Override
        public String start() {
            return "start\n";
        }

        @Override
        public String encode(ChatEvent event) {
            return event.getClass().getSimpleName() + "\n";
        }

        @Override
        public String ping() {
            return "ping\n";
        }
    }

    /** A backend in a long prefill: {@code next()} waits until released or closed. */
    private static final class Prefill implements ChatStream {
        final CountDownLatch released = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        /** The relay waits for the first event: its start frame is written and its write lock released. */
        final CountDownLatch asked = new CountDownLatch(1);
        private boolean finished;

        @Override
        public ChatEvent next() {
            asked.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (finished || closed.getCount() == 0) {
                return null;
            }
            finished = true;
            return new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 1));
        }

        @Override
        public void close() {
            closed.countDown();
            released.countDown();
        }
    }

    /** A client socket that takes {@code accepted} writes and then fails, as a hung-up client's does. */
    private static final class HangsUpAfter extends OutputStream {
        final CountDownLatch firstWrite = new CountDownLatch(1);
        private int accepted;

        HangsUpAfter(int accepted) {
            this.accepted = accepted;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            firstWrite.countDown();
            if (accepted-- <= 0) {
                throw new IOException("Broken pipe");
            }
        }
    }

    /** What reaches the client at each flush, and at the close that completes the response. */
    private static final class Flushes extends ByteArrayOutputStream {
        final java.util.List<String> flushed = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void flush() {
            flushed.add(toString(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            flushed.add("closed: " + toString(StandardCharsets.UTF_8));
        }
    }

    /** Events in bursts: each burst's events arrived together ({@code hasBuffered} within a burst, not after it). */
    private static final class Bursts implements ChatStream {
        private final java.util.ArrayDeque<java.util.List<ChatEvent>> bursts = new java.util.ArrayDeque<>();
        private java.util.ArrayDeque<ChatEvent> current = new java.util.ArrayDeque<>();

        @SafeVarargs
        Bursts(java.util.List<ChatEvent>... bursts) {
            this.bursts.addAll(java.util.List.of(bursts));
        }

        @Override
        public ChatEvent next() {
            if (current.isEmpty() && !bursts.isEmpty()) {
                current = new java.util.ArrayDeque<>(bursts.poll());
            }
            return current.poll();
        }

        @Override
        public boolean hasBuffered() {
            return !current.isEmpty();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void eventsThatArrivedTogetherAreFlushedOnceALoneEventAtOnceAndTheLastCompletesTheResponse() {
        ChatEvent a = new ChatEvent.TextDelta("a");
        ChatEvent b = new ChatEvent.TextDelta("b");
        Flushes client = new Flushes();
        Bursts upstream = new Bursts(java.util.List.of(a, b, new ChatEvent.ReasoningDelta("r")),
                java.util.List.of(new ChatEvent.TextDelta("c")),
                java.util.List.of(new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 3))));

        new EventStreamSession(client, new Frames(), upstream, Duration.ofSeconds(1), ticker).run();

        assertThat(client.flushed).containsExactly(
                "start\nTextDelta\nTextDelta\nReasoningDelta\n", // the preamble goes with the first events
                "start\nTextDelta\nTextDelta\nReasoningDelta\nTextDelta\n",
                "closed: start\nTextDelta\nTextDelta\nReasoningDelta\nTextDelta\nFinished\n");
    }

    @Test
    void aSlowUpstreamLetsThePreambleGoOutAfterATick() throws Exception {
        Prefill upstream = new Prefill();
        Flushes client = new Flushes();
        Thread relay = Thread.startVirtualThread(
                new EventStreamSession(client, new Frames(), upstream, Duration.ofSeconds(1), ticker)::run);
        assertThat(upstream.asked.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.flushed).as("the upstream request goes out first").isEmpty();

        ticker.advance(Duration.ofMillis(20));
        for (int i = 0; i < 500 && client.flushed.isEmpty(); i++) {
            Thread.sleep(10); // the flush is written from a virtual thread of its own
        }
        assertThat(client.flushed).containsExactly("start\n");

        upstream.released.countDown();
        relay.join(Duration.ofSeconds(5));
        assertThat(client.flushed).last().isEqualTo("closed: start\nFinished\n");
    }

    @Test
    void aClientThatHangsUpDuringPrefillIsNoticedByAPingAndTheUpstreamIsClosed() throws Exception {
        Prefill upstream = new Prefill();
        HangsUpAfter client = new HangsUpAfter(1);
        EventStreamSession session = new EventStreamSession(client, new Frames(), upstream, Duration.ofSeconds(1),
                ticker);
        Thread relay = Thread.startVirtualThread(session::run);
        assertThat(client.firstWrite.await(5, TimeUnit.SECONDS)).isTrue(); // the start frame
        assertThat(upstream.asked.await(5, TimeUnit.SECONDS)).isTrue();

        ticker.advance(Duration.ofMillis(400)); // not idle long enough for a ping yet
        assertThat(upstream.closed.getCount()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(1)); // the ping's write fails: the client has gone

        assertThat(upstream.closed.await(5, TimeUnit.SECONDS)).isTrue();
        relay.join(Duration.ofSeconds(5));
        assertThat(relay.isAlive()).isFalse();
        assertThat(ticker.pending()).as("the keep-alive is cancelled").isZero();
    }

    @Test
    void pingsFillSilenceOnlyAndStopWithTheStream() throws Exception {
        Prefill upstream = new Prefill();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        EventStreamSession session = new EventStreamSession(client, new Frames(), upstream, Duration.ofSeconds(1),
                ticker);
        Thread relay = Thread.startVirtualThread(session::run);
        awaitContains(client, "start\n");
        ticker.advance(Duration.ofMillis(600));
        assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo("start\n");
        ticker.advance(Duration.ofMillis(500)); // a second of silence: a ping is due
        awaitContains(client, "ping\n");

        upstream.released.countDown();
        relay.join(Duration.ofSeconds(5));
        assertThat(ticker.pending()).as("the keep-alive is cancelled").isZero();
        ticker.advance(Duration.ofSeconds(10));
        assertThat(client.toString(StandardCharsets.UTF_8)).startsWith("start\nping\n").endsWith("Finished\n");
    }

    private static void awaitContains(ByteArrayOutputStream out, String text) throws InterruptedException {
        // Pings are written from a virtual thread of their own; wait for it, not for time to pass.
        for (int i = 0; i < 500 && !out.toString(StandardCharsets.UTF_8).contains(text); i++) {
            Thread.sleep(10);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(text);
    }
}
