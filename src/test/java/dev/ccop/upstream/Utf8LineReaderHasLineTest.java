package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Knowing, without waiting, whether a line (and so an event) has arrived. */
class Utf8LineReaderHasLineTest {
    /** Bytes that arrive when the test says so; reading past them fails, as a read that would wait. */
    private static final class Arriving extends InputStream {
        private final ArrayDeque<Byte> bytes = new ArrayDeque<>();

        void arrive(String text) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b);
            }
        }

        @Override
        public int read() {
            if (bytes.isEmpty()) {
                throw new AssertionError("a read that would wait");
            }
            return bytes.poll() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len && !bytes.isEmpty()) {
                b[off + n++] = bytes.poll();
            }
            return n > 0 || len == 0 ? n : read();
        }

        @Override
        public int available() {
            return bytes.size();
        }
    }

    @Test
    void aLineHasArrivedOnlyOnceItsEndHasAndAskingNeverWaits() throws IOException {
        Arriving in = new Arriving();
        Utf8LineReader reader = new Utf8LineReader(in);
        assertThat(reader.hasLine()).isFalse();
        in.arrive("one\r");
        assertThat(reader.hasLine()).isTrue();
        assertThat(reader.readLine()).isEqualTo("one");
        in.arrive("\ntw");
        assertThat(reader.hasLine()).as("the LF after the CR is not a line, and 'tw' has no end yet").isFalse();
        in.arrive("o\nthree\n");
        assertThat(reader.hasLine()).isTrue();
        assertThat(reader.readLine()).isEqualTo("two");
        assertThat(reader.hasLine()).isTrue();
        assertThat(reader.readLine()).isEqualTo("three");
        assertThat(reader.hasLine()).isFalse();
    }

    /** Lines starting with "e" are events; others (an empty chunk, say) give none. */
    private static LineChatStream stream(String arrived) {
        LineSource source = new LineSource() {
            private Utf8LineReader reader;

            @Override
            public ChatEvent.Failed open() {
                reader = new Utf8LineReader(new ByteArrayInputStream(arrived.getBytes(StandardCharsets.UTF_8)));
                return null;
            }

            @Override
            public Utf8LineReader reader() {
                return reader;
            }

            @Override
            public ChatEvent.Failed endedEarly(Exception cause) {
                return new ChatEvent.Failed(new dev.ccop.core.ProxyError(dev.ccop.core.ErrorKind.API_ERROR, 502, "cut"));
            }

            @Override
            public void close() {
            }
        };
        return new LineChatStream(source, new LineDecoder() {
            @Override
            public List<ChatEvent> decode(String line) {
                return line.startsWith("e") ? List.of(new ChatEvent.TextDelta(line)) : List.of();
            }

            @Override
            public List<ChatEvent> atEnd() {
                return List.of();
            }
        });
    }

    @Test
    void anArrivedEventMakesTheStreamReadyAndALineWithoutOneDoesNot() {
        LineChatStream two = stream("e1\ne2\n");
        assertThat(two.hasBuffered()).isFalse(); // not started: nothing is asked of the upstream before next()
        assertThat(two.next()).isEqualTo(new ChatEvent.TextDelta("e1"));
        assertThat(two.hasBuffered()).isTrue();
        assertThat(two.next()).isEqualTo(new ChatEvent.TextDelta("e2"));

        LineChatStream empty = stream("e1\nx\n");
        assertThat(empty.next()).isEqualTo(new ChatEvent.TextDelta("e1"));
        assertThat(empty.hasBuffered()).as("a line that gives no event, and nothing after it").isFalse();
    }
}
