package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Ticker;
import java.io.IOException;
import java.time.Duration;

/** Where an answer's lines come from: an HTTP response body, or a process's output. */
public interface LineSource {

    /** Starts the upstream; returns the failure to report, or null when {@link #reader()} can be read. */
    ChatEvent.Failed open();

    Utf8LineReader reader();

    /** The failure to report when the lines end (or break) before the answer is complete. */
    ChatEvent.Failed endedEarly(Exception cause);

    /** The answer is complete: release what is held (by default, like {@link #close()}). */
    default void finished() {
        close();
    }

    /** Stops the upstream; called from any thread, possibly more than once. */
    void close();

    /** The failure of an HTTP answer whose body ended, or broke, before the answer was complete. */
    static ChatEvent.Failed httpAnswerCut(String upstream, Exception cause) {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502, cause == null
                ? upstream + " closed the stream before the answer was complete"
                : "The connection to " + upstream + " broke mid-answer: " + cause.getMessage(), cause));
    }

    /**
     * After a complete answer only the end of the body is left (the last chunk's terminator, already on its way):
     * reading it lets the connection serve the next request. A server that does not end the body within two
     * seconds loses the connection; either way {@code close} runs last.
     */
    static void drainThenClose(Utf8LineReader reader, Runnable close) {
        Ticker.Cancellable deadline = Ticker.SYSTEM.after(Duration.ofSeconds(2), close);
        try {
            reader.skipToEnd();
        } catch (IOException ignored) {
            // not reusable; closed below
        } finally {
            deadline.cancel();
            close.run();
        }
    }
}
