package dev.ccop.core;

/**
 * A stream that reads another one event for event: whether an event is ready, and closing, pass straight through.
 * Subclasses change or watch what {@link #next()} returns.
 */
public abstract class ForwardingChatStream implements ChatStream {
    protected final ChatStream inner;

    protected ForwardingChatStream(ChatStream inner) {
        this.inner = inner;
    }

    @Override
    public boolean hasBuffered() {
        return inner.hasBuffered();
    }

    @Override
    public void close() {
        inner.close();
    }
}
