package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;

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
}
