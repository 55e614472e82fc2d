package dev.ccop.core;

import java.util.List;

/**
 * A model the backend can serve; {@code capabilities} is empty when the backend does not report them, and
 * {@code modifiedAt} (RFC 3339) may be null.
 */
public record InstalledModel(String name, List<String> capabilities, String modifiedAt) {
    public InstalledModel {
        capabilities = List.copyOf(capabilities);
    }

    /** Embedding-only models cannot chat; a backend that reports no capabilities is trusted. */
    public boolean canChat() {
        return capabilities.isEmpty() || capabilities.contains("completion");
    }
}
