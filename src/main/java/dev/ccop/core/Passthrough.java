package dev.ccop.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/**
 * An optional capability of a backend that speaks a front's own dialect: the client's request is sent on unchanged but
 * for the model name, and the answer comes back byte for byte, so every field and block type survives. Chosen where the
 * backend is chosen; a front that is given one relays instead of translating.
 */
public interface Passthrough {

    /**
     * Sends {@code body} with {@code model} in it; {@code headers} are the client's headers this dialect forwards.
     * Throws {@link ProxyError} when the upstream cannot be reached.
     */
    Relayed relay(ObjectNode body, String model, Map<String, String> headers);

    /**
     * The upstream's answer: its status, content type and body, to copy to the client as it arrives, and how long the
     * body may stay silent before the answer is given up ({@code --request-timeout}).
     */
    record Relayed(int status, String contentType, InputStream body, Duration idleTimeout) {}
}
