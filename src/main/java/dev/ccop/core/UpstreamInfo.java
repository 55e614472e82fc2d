package dev.ccop.core;

/** What health checks and diagnostics report about the backend. */
public interface UpstreamInfo {

    String name();

    String url();

    /** The backend's version; throws {@link ProxyError} when it cannot be reached. */
    String version();
}
