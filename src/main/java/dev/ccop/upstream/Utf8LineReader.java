package dev.ccop.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 byte stream (NDJSON, SSE, a process's output), ended by LF, CRLF or CR as SSE allows.
 * Splitting bytes at CR and LF is safe in UTF-8, so a line is decoded once, whole. It replaces a
 * {@code BufferedReader} over an {@code InputStreamReader}, whose decoder alone keeps 8 KiB per open stream: this keeps
 * a small buffer that grows for a long line and shrinks back once it has been read.
 */
public final class Utf8LineReader {
    private static final int INITIAL = 512;
    private static final int KEEP_AT_MOST = 16 * 1024;
    /** No answer's line comes near this; a longer one is an upstream gone wrong, not one to hold in memory. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private byte[] buffer = new byte[INITIAL];
    private int start;
    private int end;
    private boolean skipLineFeed;
    private boolean atEnd;

    public Utf8LineReader(InputStream in) {
        this(in, MAX_LINE_BYTES);
    }

    public Utf8LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Whether a whole line has arrived already, so that {@link #readLine()} would not wait: in the buffer, or among the
     * bytes the stream can give without blocking (which are then taken into the buffer).
     */
    public boolean hasLine() {
        int scanned = start;
        try {
            while (true) {
                if (lineEnd(scanned) >= 0) {
                    return true;
                }
                if (atEnd || in.available() <= 0 || end - start > maxLineBytes) {
                    return false;
                }
                int scannedPastStart = end - start;
                if (!fill()) {
                    atEnd = true;
                    return start < end; // the last line, without an end: readLine returns it at once
                }
                scanned = start + scannedPastStart; // fill() may have moved the unread bytes to the front
            }
        } catch (IOException e) {
            return false; // readLine meets it and reports it
        }
    }

    /** The next line without its terminator, or null at the end of the stream. Blocks until a line is complete. */
    public String readLine() throws IOException {
        int scanned = start;
        while (true) {
            int lineEnd = lineEnd(scanned);
            if (lineEnd >= 0) {
                String line = new String(buffer, start, lineEnd - start, StandardCharsets.UTF_8);
                skipLineFeed = buffer[lineEnd] == '\r';
                start = lineEnd + 1;
                shrinkWhenEmpty();
                return line;
            }
            int scannedPastStart = end - start;
            if (scannedPastStart > maxLineBytes) {
                throw new IOException("the upstream sent a line longer than " + maxLineBytes
                        + " bytes without ending it; the answer was stopped there");
            }
            if (atEnd || !fill()) {
                atEnd = true;
                if (start == end) {
                    return null;
                }
                String last = new String(buffer, start, end - start, StandardCharsets.UTF_8);
                start = end;
                return last;
            }
            scanned = start + scannedPastStart; // fill() may have moved the unread bytes to the front
        }
    }

    /**
     * Where the line that starts the unread bytes ends (its CR or LF), looking from {@code scanned} on; -1 when its end
     * has not arrived. The LF of a CRLF whose CR ended the previous line is dropped first.
     */
    private int lineEnd(int scanned) {
        if (skipLineFeed && start < end) {
            skipLineFeed = false;
            if (buffer[start] == '\n') {
                start++;
            }
        }
        for (int i = Math.max(scanned, start); i < end; i++) {
            if (buffer[i] == '\n' || buffer[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** Reads and discards the rest of the stream. */
    public void skipToEnd() throws IOException {
        start = end;
        while (!atEnd && fill()) {
            start = end;
        }
        atEnd = true;
    }

    /** Reads more bytes after the unread ones; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            return false;
        }
        end += read;
        return true;
    }

    private void shrinkWhenEmpty() {
        if (start == end && buffer.length > KEEP_AT_MOST) {
            buffer = new byte[INITIAL];
            start = 0;
            end = 0;
        }
    }
}
