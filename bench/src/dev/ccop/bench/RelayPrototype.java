package dev.ccop.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The relay designs side by side, with nothing else of the proxy: the same Javalin server on virtual threads copies
 * an upstream answer to its client, through the JDK's HttpClient ({@code /jdk}: what the proxy did) or through a
 * blocking socket read on the request's own virtual thread ({@code /socket}: what the proxy does; no selector thread
 * and no executor hand-off between the upstream's bytes and the client). {@code /const} answers without an upstream.
 * On {@code port + 1}, the same socket relay in a bare Jetty handler (no servlet layer, no Javalin); on {@code port + 2},
 * {@link PipeRelay}: an event loop copying bytes, the floor of any relay.
 */
public final class RelayPrototype {
    private static final ConcurrentLinkedQueue<Connection> IDLE = new ConcurrentLinkedQueue<>();
    private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    private static URI upstream;

    private record Connection(Socket socket, InputStream in, OutputStream out) {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        upstream = URI.create(args[1]);
        bareJetty(port + 1);
        Thread.ofPlatform().name("pipe").start(() -> {
            try {
                PipeRelay.main(new String[] {Integer.toString(port + 2), Integer.toString(upstream.getPort())});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            cfg.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            cfg.routes.get("/", ctx -> ctx.result("relay prototype"));
            cfg.routes.post("/const", ctx -> ctx.contentType("application/x-ndjson").result(StandIn.stamp() + "\n"));
            cfg.routes.post("/jdk", RelayPrototype::viaJdkClient);
            cfg.routes.post("/socket", RelayPrototype::viaSocket);
        }).start();
    }

    private static void viaJdkClient(Context ctx) throws Exception {
        HttpResponse<InputStream> answer = JDK.send(HttpRequest.newBuilder(upstream)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ctx.contentType("application/x-ndjson");
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = answer.body()) {
            byte[] buffer = new byte[16384];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        }
    }

    private static void viaSocket(Context ctx) throws IOException {
        ctx.contentType("application/x-ndjson");
        relay(ctx.bodyAsBytes(), ctx.res().getOutputStream());
    }

    /** A Jetty handler without the servlet layer, run on a virtual thread as a blocking handler. */
    private static void bareJetty(int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    relay(body, out);
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /**
     * HTTP/1.1 by hand on a pooled keep-alive connection; the upstream answers chunked or with a length. Chunks that
     * arrived together are flushed together, as the proxy does.
     */
    private static void relay(byte[] body, OutputStream out) throws IOException {
        Connection c = IDLE.poll();
        if (c == null) {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()));
            c = new Connection(socket, new BufferedInputStream(socket.getInputStream(), 16384),
                    socket.getOutputStream());
        }
        c.out().write(("POST " + upstream.getRawPath() + " HTTP/1.1\r\nHost: " + upstream.getHost()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        c.out().write(body);
        c.out().flush();
        line(c.in()); // status line
        boolean chunked = false;
        int length = -1;
        for (String header = line(c.in()); !header.isEmpty(); header = line(c.in())) {
            String lower = header.toLowerCase();
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            length = lower.startsWith("content-length:") ? Integer.parseInt(lower.substring(15).trim()) : length;
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(c.in()).trim(), 16); size > 0;
                    size = Integer.parseInt(line(c.in()).trim(), 16)) {
                out.write(c.in().readNBytes(size));
                if (c.in().available() <= 2) { // nothing beyond this chunk's CRLF has arrived
                    out.flush();
                }
                line(c.in());
            }
            line(c.in());
        } else {
            out.write(c.in().readNBytes(length));
        }
        IDLE.add(c);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException();
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
