package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.time.Duration;
import dev.ccop.core.Ticker;

/**
 * One streaming HTTP call whose body is read line by line and decoded into events. Nothing is sent before the first
 * {@link #next()}. Closing it (from any thread) cancels the request before the headers arrive, or closes the body
 * afterwards: either way the upstream sees its connection close and stops generating.
 */
public final class LineChatStream implements ChatStream {
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(2);

    private final String upstream;
    private final HttpClient http;
    private final HttpRequest request;
    private final LineDecoder decoder;
    private final UpstreamErrors errors;
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();

    private volatile CompletableFuture<HttpResponse<InputStream>> call;
    private volatile InputStream responseBody;
    private volatile boolean closed;
    private BufferedReader reader;
    private boolean ended;

    /** {@code upstream} names the other side in messages ("Ollama", "the OpenAI-compatible server"). */
    public LineChatStream(String upstream, HttpClient http, HttpRequest request, LineDecoder decoder,
            UpstreamErrors errors) {
        this.upstream = upstream;
        this.http = http;
        this.request = request;
        this.decoder = decoder;
        this.errors = errors;
    }

    @Override
    public ChatEvent next() {
        while (!ended) {
            if (!pending.isEmpty()) {
                return emit(pending.poll());
            }
            if (closed) {
                return emit(cancelled());
            }
            if (reader == null) {
                ChatEvent failure = connect();
                if (failure != null) {
                    return emit(failure);
                }
            }
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                return emit(closed ? cancelled() : new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                        "The connection to " + upstream + " broke mid-answer: " + e.getMessage(), e)));
            }
            if (line == null) {
                if (closed) {
                    return emit(cancelled());
                }
                pending.addAll(decoder.atEnd());
                if (pending.isEmpty()) {
                    return emit(new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                            upstream + " closed the stream before the answer was complete")));
                }
            } else if (!line.isBlank()) {
                pending.addAll(decoder.decode(line));
            }
        }
        return null;
    }

    private ChatEvent emit(ChatEvent event) {
        if (event instanceof ChatEvent.Finished) {
            ended = true;
            pending.clear();
            releaseConnection();
        } else if (event instanceof ChatEvent.Failed) {
            ended = true;
            pending.clear();
            close();
        }
        return event;
    }

    /**
     * After a complete answer only the end of the body is left (the last chunk's terminator, already on its way).
     * Reading it lets the client reuse the connection instead of opening a new one for the next request; a server
     * that does not end the body promptly gets its connection closed.
     */
    private void releaseConnection() {
        BufferedReader body = reader;
        if (body == null) {
            return;
        }
        ScheduledFuture<?> deadline = Ticker.after(DRAIN_LIMIT, this::close);
        try {
            char[] buffer = new char[256];
            while (body.read(buffer) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // not reusable; closed below
        } finally {
            deadline.cancel(false);
            closeQuietly(responseBody);
        }
    }

    /** Sends the request and checks the status; returns the failure to report, or null when the body can be read. */
    private ChatEvent connect() {
        call = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cancelled();
        } catch (ExecutionException | CancellationException e) {
            return closed ? cancelled() : new ChatEvent.Failed(errors.transport(e));
        }
        responseBody = response.body();
        if (closed) {
            closeQuietly(responseBody);
            return cancelled();
        }
        if (response.statusCode() != 200) {
            String text;
            try (InputStream in = responseBody) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "";
            }
            return new ChatEvent.Failed(errors.status(response.statusCode(), text));
        }
        // A small buffer: lines are short, and a long one still reads whole. Open streams each keep one.
        reader = new BufferedReader(new InputStreamReader(responseBody, StandardCharsets.UTF_8), 1024);
        return null;
    }

    private static ChatEvent cancelled() {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"));
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<HttpResponse<InputStream>> started = call;
        if (started != null) {
            started.cancel(true);
        }
        InputStream in = responseBody;
        if (in != null) {
            closeQuietly(in);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
