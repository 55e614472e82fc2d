package dev.ccop.core;

/** An answer the proxy gives itself: one text, then the end, with usage counted by the proxy. */
final class LocalAnswer implements ChatStream {
    private final String text;
    private final Usage usage;
    private int position;

    LocalAnswer(String text, Usage usage) {
        this.text = text;
        this.usage = usage;
    }

    @Override
    public ChatEvent next() {
        return switch (position++) {
            case 0 -> new ChatEvent.TextDelta(text);
            case 1 -> new ChatEvent.Finished(StopReason.END_TURN, usage);
            default -> null;
        };
    }

    @Override
    public void close() {
        position = 2;
    }
}
