package dev.ccop.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import io.javalin.config.Key;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request body as JSON, with a 400 that says where the JSON broke and a 413 over the size limit. */
public final class RequestBodies {
    /** The size limit ({@code --max-request-bytes}), as the server's app data. */
    static final Key<Long> MAX_BYTES = new Key<>("ccop.max-request-bytes");
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private RequestBodies() {}

    public static JsonNode json(Context ctx) {
        byte[] body = read(ctx, ctx.appData(MAX_BYTES));
        BodyLog.keepRequest(ctx, body);
        if (body.length == 0) {
            throw ProxyError.invalidRequest("The request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProxyError.invalidRequest("The request body must be a JSON object");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw ProxyError.invalidRequest("The request body is too deeply nested or holds a value too long to read: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ProxyError.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw ProxyError.invalidRequest("The request body could not be read: " + e.getMessage());
        }
    }

    /**
     * The body in one array sized by Content-Length when there is one. Javalin's own reading copies it through an
     * 8 KiB buffer and a growing {@code ByteArrayOutputStream}: the largest allocation of a proxied request (JFR).
     */
    private static byte[] read(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = declared >= 0 ? in.readNBytes((int) declared) : in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw ProxyError.invalidRequest("The request body could not be read: " + e.getMessage());
        }
    }

    private static ProxyError tooLarge() {
        return new ProxyError(ErrorKind.REQUEST_TOO_LARGE, 413,
                "The request body is larger than this proxy accepts (--max-request-bytes)");
    }

    public static String requestId(Context ctx) {
        return ctx.attribute(ProxyServer.REQUEST_ID);
    }
}
