package dev.ccop.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Json;
import dev.ccop.core.Backend;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.IdleTimeoutStream;
import dev.ccop.core.CachedModels;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ProxyError;
import dev.ccop.core.TokenCounter;
import dev.ccop.upstream.HttpLineSource;
import dev.ccop.upstream.LineChatStream;
import dev.ccop.upstream.UpstreamErrors;
import dev.ccop.upstream.UpstreamHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An OpenAI-compatible server ({@code /v1/chat/completions}, {@code /v1/models}) as the backend: LM Studio, vLLM,
 * llama.cpp's server, OpenRouter, or Ollama's own {@code /v1}.
 */
public final class OpenAiBackend implements Backend {
    private static final String NAME = "the OpenAI-compatible server";

    /** {@code baseUrl} ends before {@code /chat/completions}, e.g. {@code http://127.0.0.1:1234/v1}. */
    public record Settings(URI baseUrl, String apiKey, Duration requestTimeout, Integer contextWindow,
            int contextCap, int maxLineBytes) {}

    private final Settings settings;
    private final TokenCounter tokens;
    private final Supplier<HttpClient> http = UpstreamHttp.newClient();
    private final OpenAiRequestEncoder encoder = new OpenAiRequestEncoder();

    private final CachedModels models = new CachedModels(Duration.ofSeconds(30), this::readModels);

    public OpenAiBackend(Settings settings, TokenCounter tokens) {
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    public ChatStream stream(ChatRequest request, int estimate) {
        if (settings.contextWindow() != null && estimate > settings.contextWindow()) {
            throw ProxyError.invalidRequest("prompt is too long: " + estimate + " tokens > " + settings.contextWindow()
                    + " maximum");
        }
        HttpRequest call = request("/chat/completions")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(encoder.encode(request))))
                .build();
        ChatStream stream = new LineChatStream(new HttpLineSource(NAME, http.get(), call, errors(request.model()),
                settings.maxLineBytes()),
                new OpenAiChunkDecoder(tokens, estimate));
        return new IdleTimeoutStream(stream, settings.requestTimeout());
    }

    private HttpRequest.Builder request(String path) {
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            builder.header("Authorization", "Bearer " + settings.apiKey());
        }
        return builder;
    }

    private UpstreamErrors errors(String model) {
        return new UpstreamErrors() {
            @Override
            public ProxyError status(int status, String body) {
                String message = errorText(body);
                if (status == 404 && model != null) {
                    return new ProxyError(ErrorKind.NOT_FOUND, 404, "Model '" + model + "' not found at " + NAME
                            + " " + settings.baseUrl() + " (it said: " + message + ")");
                }
                // Context-length errors keep the server's words: Claude Code recognises OpenAI's wording and compacts.
                return new ProxyError(ErrorKind.forStatus(status), status, NAME + " returned HTTP " + status + ": " + message);
            }

            @Override
            public ProxyError transport(Throwable cause) {
                return transportError(cause);
            }
        };
    }

    private ProxyError transportError(Throwable e) {
        return UpstreamErrors.transportFailure(e, NAME + " at " + settings.baseUrl(),
                "Is it running? Check --provider-url.", "Raise --request-timeout if a slow answer is expected.");
    }

    /** {@code {"error":{"message":…}}}, {@code {"error":"…"}}, {@code {"detail":…}}, or the raw text (an HTML page). */
    static String errorText(String body) {
        try {
            JsonNode node = OpenAiJson.MAPPER.readTree(body);
            if (node != null && node.isObject()) {
                JsonNode error = node.path("error");
                if (error.isTextual()) {
                    return error.textValue();
                }
                if (error.path("message").isTextual()) {
                    return error.path("message").textValue();
                }
                if (node.path("message").isTextual()) {
                    return node.path("message").textValue();
                }
                if (node.has("detail")) {
                    return node.get("detail").toString();
                }
            }
        } catch (IOException ignored) {
            // not JSON
        }
        String text = body.strip();
        if (text.isEmpty()) {
            return "(empty body)";
        }
        String abbreviated = text.length() <= 300 ? text : text.substring(0, 300) + "…";
        return text.startsWith("<") ? "a non-JSON (HTML) body: " + abbreviated : abbreviated;
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
        for (JsonNode model : UpstreamHttp.getJson(http.get(), request("/models").GET(), errors(null), NAME).path("data")) {
            if (model.hasNonNull("id")) {
                read.add(new InstalledModel(model.get("id").asText(), List.of(), null));
            }
        }
        return read;
    }

    @Override
    public String describeLocation() {
        return NAME + " at " + settings.baseUrl();
    }

    @Override
    public String installHint(String model) {
        return "Load or download '" + model + "' in that server (GET " + settings.baseUrl() + "/models lists what it has).";
    }

    @Override
    public List<String> capabilities(String model) {
        return List.of();
    }

    @Override
    public int trainedContext(String model) {
        return 0;
    }

    @Override
    public int contextWindow(String model) {
        return settings.contextWindow() != null ? settings.contextWindow() : settings.contextCap();
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String url() {
        return settings.baseUrl().toString();
    }

    /** OpenAI's API has no version endpoint: reachable means its model list answers. */
    @Override
    public String version() {
        return "openai-compatible, " + refresh().size() + " models";
    }
}
