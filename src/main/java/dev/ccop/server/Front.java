package dev.ccop.server;

import dev.ccop.core.ProxyError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** A client dialect: its routes, and how its clients expect to be told about errors. */
public interface Front {

    void register(RoutesConfig routes);

    /** Whether an error on this path (including an unknown route) should be written in this dialect. */
    boolean owns(String path);

    void renderError(Context ctx, ProxyError error, String requestId);
}
