package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.CachedModels;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ProxyError;
import dev.ccop.upstream.HttpLineSource;
import dev.ccop.upstream.LineChatStream;
import dev.ccop.upstream.UpstreamErrors;
import dev.ccop.upstream.UpstreamHttp;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The Anthropic Messages API as the backend, so that any front reaches Claude. Requests from other dialects are
 * translated; requests from Anthropic clients are relayed as they are ({@link #relay}), byte for byte both ways but for
 * the model name, so thinking signatures and every block type survive.
 */
public final class AnthropicBackend implements Backend {
    static final String API_VERSION = "2023-06-01";

    public record Settings(URI baseUrl, String apiKey, Duration requestTimeout) {}

    private final Settings settings;
    private final Supplier<HttpClient> http = UpstreamHttp.newClient();
    private final AnthropicRequestEncoder encoder = new AnthropicRequestEncoder();
    private final CachedModels models = new CachedModels(Duration.ofSeconds(300), this::readModels);

    public AnthropicBackend(Settings settings) {
        this.settings = settings;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.baseUrl().toString().replaceAll("/+$", "") + path))
                .header("anthropic-version", API_VERSION);
        if (settings.apiKey() != null) {
            builder.header("x-api-key", settings.apiKey());
        }
        return builder;
    }

    @Override
    public ChatStream stream(ChatRequest request, int promptTokens) {
        HttpRequest call = request("/v1/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AnthropicJson.write(encoder.encode(request)))).build();
        return new IdleTimeoutStream(new LineChatStream(
                new HttpLineSource("the Anthropic API", http.get(), call, errors()),
                new AnthropicSseDecoder()), settings.requestTimeout());
    }

    /**
     * An Anthropic client's request, sent on unchanged but for {@code model}; the answer (status, SSE or JSON) is
     * copied to the client as it arrives. A client that hangs up closes the upstream request.
     */
    void relay(Context ctx, ObjectNode body, String model) throws IOException {
        body.put("model", model);
        HttpRequest.Builder builder = request("/v1/messages").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AnthropicJson.write(body)));
        String beta = ctx.header("anthropic-beta");
        if (beta != null) {
            builder.header("anthropic-beta", beta);
        }
        CompletableFuture<HttpResponse<InputStream>> call = http.get().sendAsync(builder.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled");
        } catch (ExecutionException e) {
            throw errors().transport(e);
        }
        ctx.status(response.statusCode());
        String contentType = response.headers().firstValue("content-type").orElse("application/json");
        ctx.res().setContentType(contentType);
        OutputStream out = ctx.res().getOutputStream();
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[8192];
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (IOException e) {
                    if (contentType.startsWith("text/event-stream")) { // never leave a stream without its end
                        ProxyError error = new ProxyError(ErrorKind.API_ERROR, 502,
                                "The connection to the Anthropic API broke mid-answer: " + e.getMessage());
                        out.write(("event: error\ndata: " + AnthropicJson.write(AnthropicJson.error(error,
                                ctx.attribute("request-id"))) + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    return;
                }
                if (read < 0) {
                    return;
                }
                try {
                    out.write(buffer, 0, read);
                    out.flush();
                } catch (IOException clientGone) {
                    return; // closing the upstream body (try-with-resources) cancels the request
                }
            }
        }
    }

    private UpstreamErrors errors() {
        return new UpstreamErrors() {
            @Override
            public ProxyError status(int status, String body) {
                String message = body;
                try {
                    JsonNode json = AnthropicJson.MAPPER.readTree(body);
                    message = json.path("error").path("message").asText(body);
                } catch (IOException ignored) {
                    // not JSON: keep the text
                }
                return new ProxyError(ErrorKind.forStatus(status), status, "The Anthropic API returned HTTP " + status
                        + ": " + message);
            }

            @Override
            public ProxyError transport(Throwable cause) {
                Throwable root = cause;
                while (root.getCause() != null && !(root instanceof ConnectException)) {
                    root = root.getCause();
                }
                return new ProxyError(ErrorKind.API_ERROR, 502, "Cannot reach the Anthropic API at " + settings.baseUrl()
                        + " (" + (root instanceof ConnectException ? "connection refused" : root.getMessage())
                        + "). Check --provider-url and the network.", cause);
            }
        };
    }

    @Override
    public List<InstalledModel> models() {
        return models.get();
    }

    @Override
    public List<InstalledModel> refresh() {
        return models.refresh();
    }

    private List<InstalledModel> readModels() {
        List<InstalledModel> read = new ArrayList<>();
        JsonNode list = UpstreamHttp.getJson(http.get(), request("/v1/models?limit=1000").GET(), errors(),
                "the Anthropic API");
        for (JsonNode model : list.path("data")) {
            read.add(new InstalledModel(model.path("id").asText(), List.of("completion", "tools", "thinking", "vision"),
                    model.path("created_at").asText(null)));
        }
        return read;
    }

    @Override
    public String describeLocation() {
        return "the Anthropic API at " + settings.baseUrl();
    }

    @Override
    public String installHint(String model) {
        return "Use a model id the Anthropic API lists (GET /v1/models), or map this name with --model-map.";
    }

    @Override
    public List<String> capabilities(String model) {
        return List.of("completion", "tools", "thinking", "vision");
    }

    @Override
    public int trainedContext(String model) {
        return 200_000;
    }

    @Override
    public int contextWindow(String model) {
        return 200_000;
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public String url() {
        return settings.baseUrl().toString();
    }

    @Override
    public String version() {
        return "anthropic-version " + API_VERSION + ", " + refresh().size() + " models";
    }
}
