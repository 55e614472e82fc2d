package dev.ccop.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The HTTP client every backend uses. */
public final class UpstreamHttp {
    private static final ObjectMapper MAPPER = Json.MAPPER;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private UpstreamHttp() {}

    /**
     * JVM-wide start-up setting, called by {@code main} before any HTTP client exists (the JDK reads it once). The
     * client keeps a read buffer per open connection, 16 KiB by default: with thousands of open streams that was a
     * third of the proxy's live heap per stream. Streamed answers arrive as lines of a few hundred bytes. A value
     * given with {@code -Djdk.httpclient.bufsize} wins.
     */
    public static void useSmallReadBuffers() {
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", "4096");
        }
    }

    /**
     * A small metadata call (model lists, versions): the JSON body of a 200, or the upstream's failure in our terms.
     * {@code upstream} names the other side in the message about a body that is not JSON.
     */
    public static JsonNode getJson(HttpClient http, HttpRequest.Builder request, UpstreamErrors errors, String upstream) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(METADATA_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw errors.transport(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyError(ErrorKind.API_ERROR, 500, "Interrupted while talking to " + upstream, e);
        }
        if (response.statusCode() != 200) {
            throw errors.status(response.statusCode(), response.body());
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            String body = response.body().strip();
            throw new ProxyError(ErrorKind.API_ERROR, 502, upstream + " answered with something that is not JSON: "
                    + (body.length() <= 200 ? body : body.substring(0, 200) + "…"));
        }
    }

    /** The client, built on a background thread: building one loads the JDK's TLS defaults, ~0.1 s of a cold start. */
    public static Supplier<HttpClient> newClient() {
        CompletableFuture<HttpClient> client = new CompletableFuture<>();
        Thread.startVirtualThread(() -> {
            try {
                client.complete(build());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
        return client::join;
    }

    /**
     * HTTP/1.1 (what Ollama and local servers speak; no h2c upgrade attempt), and the client's internal completions
     * run inline instead of hopping through a thread pool: measured with the bench stand-in, that took a round trip
     * from 0.88 ms to 0.30 ms. This is safe because nothing we attach to its futures blocks: bodies are read on the
     * request's own virtual thread.
     */
    private static HttpClient build() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(Runnable::run)
                .build();
    }
}
