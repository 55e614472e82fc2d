package dev.ccop.ollama;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One {@code /api/chat} call read as NDJSON. Closing it (from any thread) cancels the request before the headers
 * arrive, or closes the body afterwards: either way Ollama sees its connection close and stops generating.
 */
final class OllamaChatStream implements dev.ccop.core.ChatStream {
    private final OllamaClient client;
    private final byte[] body;
    private final String model;
    private final java.util.function.Consumer<String> onModelNotFound;
    private final OllamaChunkDecoder decoder = new OllamaChunkDecoder();
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();

    private volatile CompletableFuture<HttpResponse<InputStream>> call;
    private volatile InputStream responseBody;
    private volatile boolean closed;
    private BufferedReader reader;
    private boolean ended;

    OllamaChatStream(OllamaClient client, byte[] body, String model, java.util.function.Consumer<String> onModelNotFound) {
        this.onModelNotFound = onModelNotFound;
        this.client = client;
        this.body = body;
        this.model = model;
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
                        "The connection to Ollama broke mid-answer: " + e.getMessage(), e)));
            }
            if (line == null) {
                return emit(closed ? cancelled() : new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502,
                        "Ollama closed the stream before the answer was complete")));
            }
            if (!line.isBlank()) {
                pending.addAll(decoder.decode(line));
            }
        }
        return null;
    }

    private ChatEvent emit(ChatEvent event) {
        if (event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed) {
            ended = true;
            pending.clear();
            close();
        }
        return event;
    }

    /** Sends the request and checks the status; returns the failure to report, or null when the body can be read. */
    private ChatEvent connect() {
        call = client.postStreaming("/api/chat", body);
        HttpResponse<InputStream> response;
        try {
            response = call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cancelled();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            return closed ? cancelled() : new ChatEvent.Failed(client.transportError(e));
        }
        responseBody = response.body();
        if (closed) {
            closeQuietly(responseBody);
            return cancelled();
        }
        if (response.statusCode() != 200) {
            if (response.statusCode() == 404) {
                onModelNotFound.accept(model);
            }
            try (InputStream in = responseBody) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new ChatEvent.Failed(client.errorResponse(response.statusCode(), text, model));
            } catch (IOException e) {
                return new ChatEvent.Failed(client.errorResponse(response.statusCode(), "", model));
            }
        }
        reader = new BufferedReader(new InputStreamReader(responseBody, StandardCharsets.UTF_8));
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
