package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.upstream.Http1Connections;
import dev.ccop.upstream.HttpLineSource;
import dev.ccop.upstream.LineChatStream;
import dev.ccop.upstream.LineSource;
import dev.ccop.upstream.SocketLineSource;
import dev.ccop.upstream.UpstreamErrors;
import dev.ccop.upstream.UpstreamHttp;
import dev.ccop.upstream.Utf8LineReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** HTTP to one Ollama server, and Ollama's error answers turned into {@link ProxyError}s. */
public final class OllamaClient {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private final URI baseUrl;
    private final int maxLineBytes;
    private final Supplier<HttpClient> http;
    /** Streamed chats over plain HTTP (Ollama's usual set-up); null for https, which goes through {@link #http}. */
    private final Http1Connections chats;

    /** {@code maxLineBytes}: the longest NDJSON line accepted ({@code --max-upstream-line-bytes}). */
    public OllamaClient(URI baseUrl, int maxLineBytes) {
        this.baseUrl = baseUrl;
        this.maxLineBytes = maxLineBytes;
        this.http = UpstreamHttp.newClient();
        this.chats = "http".equalsIgnoreCase(baseUrl.getScheme())
                ? new Http1Connections(baseUrl, UpstreamHttp.CONNECT_TIMEOUT) : null;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public JsonNode getJson(String path) {
        return UpstreamHttp.getJson(http.get(), HttpRequest.newBuilder(resolve(path)).GET(), errors(null, () -> { }),
                "Ollama at " + baseUrl);
    }

    public JsonNode postJson(String path, JsonNode body, String model) {
        return UpstreamHttp.getJson(http.get(), HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toBytes(body))), errors(model, () -> { }), "Ollama at " + baseUrl);
    }

    /** A streaming {@code /api/chat} call (timeouts: {@code IdleTimeoutStream}); {@code onNotFound} hears a 404. */
    ChatStream chat(byte[] body, String model, Runnable onNotFound) {
        return new LineChatStream(chatSource(body, model, onNotFound), new OllamaChunkDecoder());
    }

    /** The lines of a streamed {@code /api/chat} answer, not yet requested. */
    LineSource chatSource(byte[] body, String model, Runnable onNotFound) {
        URI url = resolve("/api/chat");
        String name = "Ollama at " + baseUrl;
        if (chats != null) {
            return new SocketLineSource(name, chats, url.getRawPath(), body, errors(model, onNotFound), maxLineBytes);
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return new HttpLineSource(name, http.get(), request, errors(model, onNotFound), maxLineBytes);
    }

    /**
     * {@code POST /api/pull}: downloads a model, handing each progress line ({@code status}, and for a layer
     * {@code digest}, {@code total}, {@code completed}) to {@code progress}. Returns at {@code success}; Ollama's
     * {@code error} lines and statuses are thrown as {@link ProxyError}s.
     */
    public void pull(String model, Consumer<JsonNode> progress) {
        HttpRequest request = HttpRequest.newBuilder(resolve("/api/pull")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toBytes(MAPPER.createObjectNode().put("model", model)
                        .put("stream", true)))).build();
        HttpResponse<InputStream> response;
        try {
            response = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transportError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProxyError(ErrorKind.API_ERROR, 499, "Pull interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw errorResponse(response.statusCode(), new String(body.readNBytes(64 * 1024),
                        java.nio.charset.StandardCharsets.UTF_8), model);
            }
            Utf8LineReader lines = new Utf8LineReader(body, maxLineBytes);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode status = MAPPER.readTree(line);
                if (status.hasNonNull("error")) {
                    throw new ProxyError(ErrorKind.API_ERROR, 502, "Ollama could not pull '" + model + "': "
                            + status.path("error").asText());
                }
                progress.accept(status);
                if ("success".equals(status.path("status").asText())) {
                    return;
                }
            }
            throw new ProxyError(ErrorKind.API_ERROR, 502, "Ollama stopped before the pull of '" + model
                    + "' succeeded");
        } catch (IOException e) {
            throw transportError(e);
        }
    }

    /** Ollama's failures in our terms; {@code onNotFound} hears a 404. */
    private UpstreamErrors errors(String model, Runnable onNotFound) {
        return new UpstreamErrors() {
            @Override
            public ProxyError status(int status, String text) {
                if (status == 404) {
                    onNotFound.run();
                }
                return errorResponse(status, text, model);
            }

            @Override
            public ProxyError transport(Throwable cause) {
                return transportError(cause);
            }
        };
    }


    /** Connection refused, DNS failure, timeout: say what was tried and how to fix it. */
    ProxyError transportError(Throwable e) {
        return UpstreamErrors.transportFailure(e, "Ollama at " + baseUrl,
                "Start it with `ollama serve`, or point --ollama-url (or OLLAMA_HOST) at the server.",
                "A large prompt on a slow machine can take minutes to read; raise --request-timeout if this is expected.");
    }

    /** Ollama answers {@code {"error":"..."}} with a real status; keep the status and explain the common cases. */
    ProxyError errorResponse(int status, String body, String model) {
        String message = errorText(body);
        if (status == 404 && model != null && message.contains("not found")) {
            return new ProxyError(ErrorKind.NOT_FOUND, 404, "Ollama model '" + model + "' not found at " + baseUrl
                    + ". Run `ollama pull " + model + "`. (Ollama said: " + message + ")");
        }
        if (status == 400 && message.contains("does not support tools")) {
            return new ProxyError(ErrorKind.INVALID_REQUEST, 400, "The model '" + model + "' cannot use tools (its Ollama"
                    + " capabilities lack 'tools'), and Claude Code needs them. Map the request to a tool-capable model"
                    + " such as qwen2.5-coder, qwen3 or llama3.1. (Ollama said: " + message + ")");
        }
        return new ProxyError(ErrorKind.forStatus(status), status, "Ollama returned HTTP " + status + ": " + message);
    }

    static String errorText(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.path("error").isTextual()) {
                return node.path("error").textValue();
            }
        } catch (IOException ignored) {
            // not JSON: use the raw text
        }
        String trimmed = body.strip();
        return trimmed.isEmpty() ? "(empty body)" : abbreviate(trimmed);
    }

    static byte[] toBytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
