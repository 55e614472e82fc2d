package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NDJSON lines in a chunked body, arriving in arbitrary pieces (chunk sizes, extensions and split points chosen by a
 * seeded random source): after each piece, every line whose end has arrived is reported ready and read, and asking
 * never reads past what has arrived. The relay relies on both: it writes what is ready together, and must not wait.
 */
class ChunkedLinesArrivalTest {

    /** Bytes handed over piece by piece; a read past them fails the test, as it would wait on a socket. */
    private static final class Pieces extends InputStream {
        private final byte[] all;
        private int arrived;
        private int read;

        Pieces(byte[] all) {
            this.all = all;
        }

        void arrive(int count) {
            arrived = Math.min(all.length, arrived + count);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read == all.length) {
                return -1;
            }
            if (read == arrived) {
                throw new AssertionError("a read that would wait, at byte " + read);
            }
            int n = Math.min(len, arrived - read);
            System.arraycopy(all, read, b, off, n);
            read += n;
            return n;
        }

        @Override
        public int available() {
            return arrived - read;
        }
    }

    @Test
    void everyLineThatHasArrivedIsReadyAndAskingNeverWaits() throws IOException {
        for (int seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            List<String> lines = new ArrayList<>();
            StringBuilder payload = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(30); i < n; i++) {
                String line = "{\"message\":{\"content\":\"" + "é€x".repeat(random.nextInt(random.nextInt(8) == 0 ? 900 : 12))
                        + i + "\"},\"done\":false}";
                lines.add(line);
                payload.append(line).append('\n');
            }
            byte[] body = chunked(payload.toString().getBytes(StandardCharsets.UTF_8), random);

            Pieces pieces = new Pieces(body);
            Utf8LineReader reader = new Utf8LineReader(
                    new Http1Exchange.ChunkedBody(new ConnectionInput(pieces, 2048), () -> { }));
            List<String> seen = new ArrayList<>();
            int delivered = 0;
            while (delivered < body.length) {
                int piece = 1 + random.nextInt(random.nextBoolean() ? 8 : 600);
                pieces.arrive(piece);
                delivered = Math.min(body.length, delivered + piece);
                while (reader.hasLine()) {
                    seen.add(reader.readLine());
                }
                assertThat(seen).as("seed %d: the lines whose end has arrived (%d of %d bytes)", seed, delivered,
                        body.length).hasSize(linesEndedWithin(body, delivered));
            }
            assertThat(reader.readLine()).as("seed %d: the end", seed).isNull();
            assertThat(seen).as("seed %d", seed).isEqualTo(lines);
        }
    }

    /** The payload in chunks of random sizes, some with extensions, then the last chunk and no trailers. */
    private static byte[] chunked(byte[] payload, Random random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < payload.length) {
            int size = Math.min(payload.length - at, 1 + random.nextInt(random.nextBoolean() ? 40 : 3000));
            out.write((Integer.toHexString(size) + (random.nextInt(5) == 0 ? ";ext=1" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(payload, at, size);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            at += size;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** How many payload lines end within the first {@code delivered} bytes of the chunked body. */
    private static int linesEndedWithin(byte[] body, int delivered) {
        int lines = 0;
        int at = 0;
        while (true) {
            int lineEnd = indexOf(body, at, (byte) '\n');
            String size = new String(body, at, lineEnd - 1 - at, StandardCharsets.US_ASCII).split(";")[0];
            int length = Integer.parseInt(size, 16);
            int data = lineEnd + 1;
            if (length == 0 || data >= delivered) {
                return lines;
            }
            for (int i = data; i < Math.min(delivered, data + length); i++) {
                if (body[i] == '\n') {
                    lines++;
                }
            }
            at = data + length + 2;
        }
    }

    private static int indexOf(byte[] bytes, int from, byte b) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("no framing line at " + from);
    }
}
