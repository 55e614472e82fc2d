package dev.ccop.ollama;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ForwardingChatStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ollama cuts the front of a prompt that does not fit num_ctx without saying so. After each answer, the prompt size
 * Ollama reports is compared with the proxy's estimate, and a warning says when it evidently truncated.
 */
final class TruncationWatch extends ForwardingChatStream {
    private static final Logger LOG = LoggerFactory.getLogger(TruncationWatch.class);

    private final String model;
    private final int estimate;
    private final int window;

    TruncationWatch(ChatStream inner, String model, int estimate, int window) {
        super(inner);
        this.model = model;
        this.estimate = estimate;
        this.window = window;
    }

    @Override
    public ChatEvent next() {
        ChatEvent event = inner.next();
        if (event instanceof ChatEvent.Finished finished && evidentlyTruncated(finished.usage().inputTokens())) {
            LOG.warn("Ollama evaluated {} prompt tokens for {} where about {} were sent (num_ctx {}): it probably cut"
                    + " the start of the prompt. Raise --context-window or let the client compact.",
                    finished.usage().inputTokens(), model, estimate, window);
        }
        return event;
    }

    /** The prompt filled the window, or came out far smaller than estimated (tokenizers differ by ~10 %, not 40 %). */
    boolean evidentlyTruncated(int evaluated) {
        return evaluated > 0 && (evaluated >= window || estimate > 1000 && evaluated < estimate * 0.6);
    }
}
