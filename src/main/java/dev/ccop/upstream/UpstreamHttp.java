package dev.ccop.upstream;

import java.net.http.HttpClient;
import java.time.Duration;

/** The HTTP client every backend uses. */
public final class UpstreamHttp {
    private UpstreamHttp() {}

    /**
     * HTTP/1.1 (what Ollama and local servers speak; no h2c upgrade attempt), and the client's internal completions
     * run inline instead of hopping through a thread pool: measured with the bench stand-in, that took a round trip
     * from 0.88 ms to 0.30 ms. This is safe because nothing we attach to its futures blocks: bodies are read on the
     * request's own virtual thread.
     */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Runnable::run)
                .build();
    }
}
