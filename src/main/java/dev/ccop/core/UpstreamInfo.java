package dev.ccop.core;

import java.util.List;

/** What health checks and diagnostics report about the backend. */
public interface UpstreamInfo {

    String name();

    String url();

    /** The backend's version; throws {@link ProxyError} when it cannot be reached. */
    String version();

    /** One server of the backend, as the health details show it. */
    record Host(String url, String state, int outstanding) {}

    /** The backend's servers when it has a pool of them; empty otherwise. */
    default List<Host> hosts() {
        return List.of();
    }
}
