package dev.ccop.server;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Inbound authentication: the key as {@code Authorization: Bearer <key>} (OpenAI, Ollama clients) or
 * {@code x-api-key: <key>} (Anthropic clients). Compared in constant time, as digests so that not even the length
 * leaks; never logged.
 */
final class ApiKeyCheck {
    private final byte[] expected;

    ApiKeyCheck(String key) {
        this.expected = digest(key);
    }

    void require(Context ctx) {
        String header = ctx.header("x-api-key");
        if (header == null) {
            String authorization = ctx.header("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                header = authorization.substring(7).strip();
            }
        }
        if (header == null || !MessageDigest.isEqual(digest(header), expected)) {
            throw new ProxyError(ErrorKind.AUTHENTICATION, 401, header == null
                    ? "This proxy requires an API key: send Authorization: Bearer <key> or x-api-key: <key>"
                    : "Invalid API key");
        }
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
