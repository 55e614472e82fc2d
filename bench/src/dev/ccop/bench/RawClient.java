package dev.ccop.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One blocking HTTP/1.1 connection, as a single Claude Code user's client keeps one: a request, its whole answer, the
 * next request. Written on a plain socket so that the measurement holds no selector or thread hand-off of its own
 * (the JDK's HttpClient adds both, to every column alike, and with them noise).
 */
final class RawClient implements AutoCloseable {
    private static final byte[] STAMP = "t=".getBytes(StandardCharsets.US_ASCII);

    private final URI url;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** Times of one exchange, from the first byte sent: to the first token ("t=" stamp) and to the answer's end. */
    record Timing(int status, long firstTokenNanos, long totalNanos) {}

    RawClient(URI url) {
        this.url = url;
    }

    /**
     * Sends on the kept connection (opening one when there is none); {@code fresh} opens and closes one for it. A kept
     * connection the server has closed meanwhile is replaced once, as HTTP clients do.
     */
    Timing post(String body, boolean fresh) throws IOException {
        boolean reused = socket != null && !fresh;
        try {
            return exchange(body, fresh);
        } catch (IOException e) {
            if (!reused) {
                throw e;
            }
            close();
            return exchange(body, fresh);
        }
    }

    private Timing exchange(String body, boolean fresh) throws IOException {
        long begin = System.nanoTime();
        if (socket == null || fresh) {
            close();
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nx-api-key: test-key\r\nanthropic-version: 2023-06-01"
                + "\r\nContent-Length: " + bytes.length + (fresh ? "\r\nConnection: close" : "") + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean closes = fresh;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                contentLength = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closes = true;
            }
        }
        long firstToken = -1;
        if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                    size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                byte[] data = in.readNBytes((int) size);
                if (firstToken < 0 && contains(data, STAMP)) {
                    firstToken = System.nanoTime() - begin;
                }
                line(); // the CRLF after the data
            }
            for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                // no trailers expected
            }
        } else if (contentLength >= 0) {
            byte[] data = in.readNBytes((int) contentLength);
            firstToken = contains(data, STAMP) ? System.nanoTime() - begin : -1;
        } else {
            byte[] data = in.readAllBytes();
            firstToken = contains(data, STAMP) ? System.nanoTime() - begin : -1;
            closes = true;
        }
        long total = System.nanoTime() - begin;
        if (closes) {
            close();
        }
        return new Timing(status, firstToken, total);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static boolean contains(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
