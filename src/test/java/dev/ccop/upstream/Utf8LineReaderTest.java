package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LineReaderTest {

    @Test
    void splitsAtEveryLineEndingSseAllows() throws IOException {
        assertThat(lines("a\nb\r\nc\rd\n\ne", 1024)).containsExactly("a", "b", "c", "d", "", "e");
    }

    @Test
    void crlfSplitAcrossReadsIsOneLineEnding() throws IOException {
        assertThat(lines("first\r\nsecond\r\n", 1)).containsExactly("first", "second");
    }

    @Test
    void multiByteCharactersSplitAcrossReadsDecodeWhole() throws IOException {
        String text = "données → 数据 🙂\n{\"t\":\"é\"}\n";
        for (int chunk = 1; chunk <= 5; chunk++) {
            assertThat(lines(text, chunk)).containsExactly("données → 数据 🙂", "{\"t\":\"é\"}");
        }
    }

    @Test
    void aLineLongerThanTheBufferReadsWholeAndLaterLinesStillWork() throws IOException {
        String longLine = "x".repeat(100_000);
        assertThat(lines(longLine + "\nshort\n" + longLine + "y\n", 777))
                .containsExactly(longLine, "short", longLine + "y");
    }

    @Test
    void theLastLineNeedsNoTerminatorAndTheEndIsNull() throws IOException {
        Utf8LineReader reader = new Utf8LineReader(new ByteArrayInputStream("one\ntwo".getBytes(StandardCharsets.UTF_8)));
        assertThat(reader.readLine()).isEqualTo("one");
        assertThat(reader.readLine()).isEqualTo("two");
        assertThat(reader.readLine()).isNull();
        assertThat(reader.readLine()).isNull();
    }

    @Test
    void skipToEndConsumesTheRest() throws IOException {
        InputStream in = new ByteArrayInputStream("done\n0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        Utf8LineReader reader = new Utf8LineReader(in);
        assertThat(reader.readLine()).isEqualTo("done");
        reader.skipToEnd();
        assertThat(in.read()).isEqualTo(-1);
        assertThat(reader.readLine()).isNull();
    }

    /** Reads the text through a stream that hands out at most {@code chunk} bytes per read. */
    private static List<String> lines(String text, int chunk) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, chunk), bytes.length - position);
                System.arraycopy(bytes, position, b, off, n);
                position += n;
                return n;
            }
        };
        Utf8LineReader reader = new Utf8LineReader(trickle);
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = reader.readLine()) != null) {
            lines.add(line);
        }
        return lines;
    }

    @Test
    void aLineWithoutEndBeyondTheLimitIsRefusedWithoutReadingItAll() {
        // An endless stream of bytes with no line end: the reader must stop at its limit, not follow it.
        java.io.InputStream endless = new java.io.InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served += len;
                return len;
            }
        };
        Utf8LineReader reader = new Utf8LineReader(endless, 64 * 1024);
        org.assertj.core.api.Assertions.assertThatThrownBy(reader::readLine).isInstanceOf(IOException.class)
                .hasMessageContaining("longer than 65536 bytes");
    }
}
