package dev.ccop.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import io.javalin.http.Context;

/** Reads a request body as JSON, with a 400 that says where the JSON broke. */
public final class RequestBodies {
    private static final ObjectMapper MAPPER = Json.MAPPER;

    private RequestBodies() {}

    public static JsonNode json(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ProxyError.invalidRequest("The request body is empty; expected a JSON object");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw ProxyError.invalidRequest("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ProxyError.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw ProxyError.invalidRequest("The request body could not be read: " + e.getMessage());
        }
    }

    public static String requestId(Context ctx) {
        return ctx.attribute(ProxyServer.REQUEST_ID);
    }
}
