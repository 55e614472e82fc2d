package dev.ccop.core;

/** Reports an answer's usage against the client's own prompt size, keeping what the backend read from its cache. */
final class ClientUsageStream extends ForwardingChatStream {
    private final int clientTokens;

    ClientUsageStream(ChatStream inner, int clientTokens) {
        super(inner);
        this.clientTokens = clientTokens;
    }

    @Override
    public ChatEvent next() {
        ChatEvent event = inner.next();
        return event instanceof ChatEvent.Finished finished
                ? new ChatEvent.Finished(finished.stopReason(), finished.usage().withInputTokens(clientTokens))
                : event;
    }
}
