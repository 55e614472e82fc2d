package dev.ccop.core;

/**
 * An answer being produced upstream. {@link #next()} blocks until the next event; the last event is always a
 * {@link ChatEvent.Finished} or {@link ChatEvent.Failed}, after which it returns null. {@link #close()} may be
 * called from any thread and aborts the upstream request (the way to cancel generation).
 */
public interface ChatStream extends AutoCloseable {

    ChatEvent next();

    /**
     * Whether {@link #next()} would return at once: an event is decoded already, or its line has arrived. A relay
     * writes such events together and flushes once; false (the default) when the stream cannot tell.
     */
    default boolean hasBuffered() {
        return false;
    }

    @Override
    void close();
}
