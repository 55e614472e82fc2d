package dev.ccop.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A backend's model list, read through {@code loader} at most once per {@code ttl} unless refreshed. */
public final class CachedModels {
    private final Duration ttl;
    private final Supplier<List<InstalledModel>> loader;
    private volatile List<InstalledModel> models;
    private volatile long readAt;

    public CachedModels(Duration ttl, Supplier<List<InstalledModel>> loader) {
        this.ttl = ttl;
        this.loader = loader;
    }

    public List<InstalledModel> get() {
        List<InstalledModel> cached = models;
        return cached != null && System.nanoTime() - readAt < ttl.toNanos() ? cached : refresh();
    }

    public List<InstalledModel> refresh() {
        List<InstalledModel> read = List.copyOf(loader.get());
        models = read;
        readAt = System.nanoTime();
        return read;
    }

    public void invalidate() {
        models = null;
    }
}
