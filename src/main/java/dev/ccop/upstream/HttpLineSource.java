package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A streaming HTTP response body as lines. Closing cancels the request before the headers arrive, or closes the body
 * afterwards: either way the upstream sees its connection close and stops generating.
 */
public final class HttpLineSource extends HttpAnswerLines {
    private final HttpClient http;
    private final HttpRequest request;
    private volatile CompletableFuture<HttpResponse<InputStream>> call;
    private volatile InputStream body;
    private volatile boolean closed;

    /**
     * {@code upstream} names the other side in messages ("Ollama", "the OpenAI-compatible server"); a line longer
     * than {@code maxLineBytes} ends the answer with an error.
     */
    public HttpLineSource(String upstream, HttpClient http, HttpRequest request, UpstreamErrors errors,
            int maxLineBytes) {
        super(upstream, errors, maxLineBytes);
        this.http = http;
        this.request = request;
    }

    @Override
    public ChatEvent.Failed open() {
        call = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"));
        } catch (ExecutionException | CancellationException e) {
            return transportFailed(e);
        }
        body = response.body();
        if (closed) {
            close();
        }
        return answered(response.statusCode(), body);
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<HttpResponse<InputStream>> started = call;
        if (started != null) {
            started.cancel(true);
        }
        InputStream in = body;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is all we wanted
            }
        }
    }
}
