package dev.ccop.server;

/**
 * The proxy's own paths (the probe answer at {@code /}, health, metrics, the status page), as opposed to what the API
 * fronts serve: the status page does not list their requests, and the request log writes them at debug level, so that
 * probes and scrapes fill neither.
 */
final class OwnPaths {
    private OwnPaths() {}

    static boolean contains(String path) {
        return path.equals("/") || path.startsWith("/ui") || path.startsWith("/health") || path.equals("/metrics");
    }
}
