package dev.ccop.upstream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A connection's input, buffered, that can tell without waiting whether whole lines have arrived: a chunked body uses
 * it to step over the framing between chunks that are already here, so that NDJSON lines which arrived together are
 * seen together (and relayed with one write) instead of one per read.
 */
final class ConnectionInput extends InputStream {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int count;

    ConnectionInput(InputStream in, int size) {
        this.in = in;
        this.buffer = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (position == count && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (position == count) {
            if (len >= buffer.length) {
                return in.read(b, off, len); // nothing to gain from copying through the buffer
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, count - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return count - position + in.available();
    }

    /** Whether {@code lines} LF-ended lines are here, taking in what the socket already holds; never waits. */
    boolean hasLines(int lines) throws IOException {
        int found = 0;
        int scanned = position;
        while (true) {
            for (; scanned < count; scanned++) {
                if (buffer[scanned] == '\n' && ++found == lines) {
                    return true;
                }
            }
            if (in.available() <= 0) {
                return false;
            }
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, count - position);
                scanned -= position;
                count -= position;
                position = 0;
            }
            if (count == buffer.length) {
                return false; // framing lines are short: a full buffer without them is a body, read as such
            }
            int n = in.read(buffer, count, buffer.length - count);
            if (n <= 0) {
                return false;
            }
            count += n;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        position = 0;
        count = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
