package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.core.ChatEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Knowing, without waiting, whether a line (and so an event) has arrived. */
class Utf8LineReaderHasLineTest {
    @Test
    void aLineHasArrivedOnlyOnceItsEndHas() throws IOException {
        Utf8LineReader reader = new Utf8LineReader(
                new ByteArrayInputStream("one\r\ntwo".getBytes(StandardCharsets.UTF_8)));
        assertThat(reader.hasLine()).isFalse(); // nothing read yet: it does not read to find out
        assertThat(reader.readLine()).isEqualTo("one");
        assertThat(reader.hasLine()).isFalse(); // "two" has no end yet (and the LF after the CR is not a line)
        assertThat(reader.readLine()).isEqualTo("two");
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
        assertThat(two.hasBuffered()).isFalse(); // not started: nothing has arrived
        assertThat(two.next()).isEqualTo(new ChatEvent.TextDelta("e1"));
        assertThat(two.hasBuffered()).isTrue();
        assertThat(two.next()).isEqualTo(new ChatEvent.TextDelta("e2"));

        LineChatStream empty = stream("e1\nx\n");
        assertThat(empty.next()).isEqualTo(new ChatEvent.TextDelta("e1"));
        assertThat(empty.hasBuffered()).as("a line that gives no event, and nothing after it").isFalse();
    }
}
