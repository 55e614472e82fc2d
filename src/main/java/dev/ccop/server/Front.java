package dev.ccop.server;

import dev.ccop.core.ProxyError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/** A client dialect: its routes, and how its clients expect to be told about errors. */
public interface Front {

    /** "anthropic", "openai" or "ollama": the dialect, as metrics and logs name it. */
    String name();

    void register(RoutesConfig routes);

    /**
     * The path prefixes whose errors (an unknown route under them too) are written in this dialect. When several
     * fronts' prefixes match a path, the longest prefix wins, whatever order the fronts were given in.
     */
    List<String> errorPaths();

    void renderError(Context ctx, ProxyError error, String requestId);
}
