package dev.ccop.upstream;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One request and its answer on a {@link Http1Connections} connection: the status, and the body as a stream that gives
 * the connection back for reuse once it has been read to its end (chunked or with a length) and closes it when it is
 * closed before that. {@link #close()} may be called from any thread: it closes the socket, which stops a blocked
 * read, and the server sees the connection go (Ollama then stops generating).
 */
final class Http1Exchange implements AutoCloseable {
    /** Limits on what a hostile or broken server may send before the body. */
    private static final int MAX_HEADER_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 200;

    private final Http1Connections connections;
    private volatile Http1Connections.Connection connection;
    private volatile boolean closed;
    private int status;
    private InputStream body;

    Http1Exchange(Http1Connections connections) {
        this.connections = connections;
    }

    /**
     * Sends {@code POST path} with a JSON body and reads the answer's head. A kept connection that the server had
     * closed meanwhile fails before any byte of an answer: the request is then sent once more on a new connection
     * (once, and only on a reused connection, as HTTP clients do).
     */
    void post(String path, byte[] json) throws IOException {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + connections.hostHeader()
                + "\r\nContent-Type: application/json\r\nAccept: application/x-ndjson, application/json"
                + "\r\nUser-Agent: claude-code-ollama-proxy\r\nContent-Length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Http1Connections.Connection first = connections.acquire();
        try {
            send(first, head, json);
        } catch (IOException stale) {
            if (!first.reused() || closed) {
                close();
                throw stale;
            }
            first.close();
            try {
                send(connections.open(), head, json);
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    private void send(Http1Connections.Connection on, byte[] head, byte[] json) throws IOException {
        connection = on;
        if (closed) {
            on.close();
            throw new IOException("cancelled");
        }
        byte[] request = new byte[head.length + json.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(json, 0, request, head.length, json.length);
        on.out.write(request);
        on.out.flush();
        readHead(on.in);
    }

    private void readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 answer: '" + abbreviate(statusLine) + "'");
        }
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: '" + abbreviate(statusLine) + "'");
        }
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = !parts[0].equals("HTTP/1.0");
        int count = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (++count > MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = parseLength(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> keepAlive = !value.contains("close") && (keepAlive || value.contains("keep-alive"));
                default -> { }
            }
        }
        boolean reusable = keepAlive;
        Runnable atEnd = () -> {
            Http1Connections.Connection used = connection;
            if (reusable && !closed && used != null) {
                connection = null;
                connections.release(used);
            }
        };
        ConnectionInput raw = connection.in;
        if (chunked) {
            body = new ChunkedBody(raw, atEnd);
        } else if (length >= 0) {
            body = new LengthBody(raw, length, atEnd);
        } else {
            body = raw; // to the end of the connection, which is then not reusable
        }
    }

    int status() {
        return status;
    }

    /** The answer's body; closing it before its end closes the connection. */
    InputStream body() {
        return body;
    }

    /** Closes the connection unless the answer was read to its end and the connection went back to be reused. */
    @Override
    public void close() {
        closed = true;
        Http1Connections.Connection open = connection;
        if (open != null) {
            connection = null;
            open.close();
        }
    }

    private static long parseLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IOException("bad Content-Length: '" + abbreviate(value) + "'");
    }

    /** A line of the head or of chunk framing, without CRLF; EOF or an over-long line is an error. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed before the answer's head was complete");
            }
            if (line.size() >= MAX_HEADER_LINE) {
                throw new IOException("a header line longer than " + MAX_HEADER_LINE + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }

    /** A body read in blocks; the one-byte read is the block read of one byte. */
    abstract static class FramedBody extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** A body with a Content-Length: {@code atEnd} runs once every byte has been read. */
    private static final class LengthBody extends FramedBody {
        private final InputStream in;
        private final Runnable atEnd;
        private long remaining;

        LengthBody(InputStream in, long length, Runnable atEnd) {
            this.in = in;
            this.remaining = length;
            this.atEnd = atEnd;
            if (length == 0) {
                atEnd.run();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the connection closed " + remaining + " bytes before the body's end");
            }
            remaining -= n;
            if (remaining == 0) {
                atEnd.run();
            }
            return n;
        }
    }

    /**
     * A chunked body: {@code atEnd} runs once the last chunk and the trailers have been read. {@link #available()}
     * steps over the framing of chunks that have arrived whole, so that what the server sent together is readable
     * together.
     */
    static final class ChunkedBody extends FramedBody {
        private final ConnectionInput in;
        private final Runnable atEnd;
        private long chunkLeft;
        /** A chunk's data has been read and its CRLF not yet: servers often send it with the next chunk. */
        private boolean crlfDue;
        private boolean lastChunk;
        private boolean done;

        ChunkedBody(ConnectionInput in, Runnable atEnd) {
            this.in = in;
            this.atEnd = atEnd;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (chunkLeft == 0 && !lastChunk && !done) {
                readChunkSize();
            }
            if (lastChunk && !done) {
                while (!line(in).isEmpty()) {
                    // trailers: none expected, none kept
                }
                done = true;
                atEnd.run();
            }
            if (done) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("the connection closed mid-chunk");
            }
            chunkLeft -= n;
            crlfDue = chunkLeft == 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            if (chunkLeft == 0 && !lastChunk && !done && in.hasLines(crlfDue ? 2 : 1)) {
                readChunkSize(); // its lines are here: this does not wait
            }
            return lastChunk || done ? 0 : (int) Math.min(chunkLeft, in.available());
        }

        private void readChunkSize() throws IOException {
            if (crlfDue && !line(in).isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
            crlfDue = false;
            String size = line(in);
            int extension = size.indexOf(';');
            try {
                chunkLeft = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: '" + abbreviate(size) + "'");
            }
            if (chunkLeft < 0) {
                throw new IOException("bad chunk size: '" + abbreviate(size) + "'");
            }
            lastChunk = chunkLeft == 0;
        }
    }
}
