package dev.ccop.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.Json;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.CachedModels;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.Passthrough;
import dev.ccop.core.ProxyError;
import dev.ccop.upstream.HttpLineSource;
import dev.ccop.upstream.LineChatStream;
import dev.ccop.upstream.UpstreamErrors;
import dev.ccop.upstream.UpstreamHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The Anthropic Messages API as the backend, so that any front reaches Claude. Requests from other dialects are
 * translated; requests from Anthropic clients can be relayed as they are ({@link Passthrough}).
 */
public final class AnthropicBackend implements Backend, Passthrough {
    static final String API_VERSION = "2023-06-01";

    public record Settings(URI baseUrl, String apiKey, Duration requestTimeout, int maxLineBytes) {}

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
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(encoder.encode(request)))).build();
        return new IdleTimeoutStream(new LineChatStream(
                new HttpLineSource("the Anthropic API", http.get(), call, errors(), settings.maxLineBytes()),
                new AnthropicSseDecoder()), settings.requestTimeout());
    }

    /** An Anthropic client's request, sent on unchanged but for {@code model}; the answer arrives as it is. */
    @Override
    public Relayed relay(ObjectNode body, String model, Map<String, String> headers) {
        body.put("model", model);
        HttpRequest.Builder builder = request("/v1/messages").header("Content-Type", "application/json")
                .timeout(settings.requestTimeout()) // until the response's headers: the first byte
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        headers.forEach(builder::header);
        CompletableFuture<HttpResponse<InputStream>> call = http.get().sendAsync(builder.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = call.get();
            return new Relayed(response.statusCode(),
                    response.headers().firstValue("content-type").orElse("application/json"), response.body(),
                    settings.requestTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled");
        } catch (ExecutionException e) {
            throw errors().transport(e);
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
                return UpstreamErrors.transportFailure(cause, "the Anthropic API at " + settings.baseUrl(),
                        "Check --provider-url and the network.", "Raise --request-timeout if a slow answer is expected.");
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
