package dev.ccop.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Plain HTTP/1.1 connections to one server, kept open between requests. Each request reads its answer with a blocking
 * read on its own virtual thread: no selector thread and no executor between the upstream's bytes and the client,
 * which the JDK's {@code HttpClient} has (docs/BENCHMARKS.md, "The relay design": 5× less CPU per request and about a
 * millisecond less per request for one user).
 */
public final class Http1Connections {
    /** Idle connections kept; more concurrent requests than this open connections of their own. */
    private static final int KEEP_IDLE = 32;
    /** An idle connection older than this is not reused: the server may have dropped it meanwhile. */
    private static final long MAX_IDLE_NANOS = Duration.ofSeconds(60).toNanos();

    private final String host;
    private final int port;
    private final String hostHeader;
    private final int connectTimeoutMillis;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** One open connection; {@code reused} once it has served a request. */
    static final class Connection {
        final Socket socket;
        final ConnectionInput in;
        final OutputStream out;
        private boolean reused;
        private long idleSince;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            // Small: it only has to hold chunk framing and NDJSON lines (reads larger than it bypass it), and every
            // open stream keeps one. 8 → 2 KiB took the live heap per held stream from 33 to 27–28 KiB.
            this.in = new ConnectionInput(socket.getInputStream(), 2 * 1024);
            this.out = socket.getOutputStream();
        }

        boolean reused() {
            return reused;
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed is what we wanted
            }
        }
    }

    /** For {@code http://} URLs only. */
    public Http1Connections(URI server, Duration connectTimeout) {
        if (!"http".equalsIgnoreCase(server.getScheme())) {
            throw new IllegalArgumentException("plain HTTP only: " + server);
        }
        String h = server.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = server.getPort() < 0 ? 80 : server.getPort();
        this.hostHeader = server.getPort() < 0 ? h : h + ":" + port;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    }

    String hostHeader() {
        return hostHeader;
    }

    /** A kept connection when there is a recent one, else a new one. */
    Connection acquire() throws IOException {
        long now = System.nanoTime();
        for (Connection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            if (now - kept.idleSince < MAX_IDLE_NANOS && !kept.socket.isClosed()) {
                return kept;
            }
            kept.close();
        }
        return open();
    }

    Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A connection whose last answer was read to its end goes back for the next request. */
    void release(Connection connection) {
        if (idle.size() >= KEEP_IDLE || connection.socket.isClosed()) {
            connection.close();
            return;
        }
        connection.reused = true;
        connection.idleSince = System.nanoTime();
        idle.addFirst(connection);
    }

    /** Closes the idle connections (the next requests open new ones). */
    public void closeIdle() {
        for (Connection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            kept.close();
        }
    }
}
