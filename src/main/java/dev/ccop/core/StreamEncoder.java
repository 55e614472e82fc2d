package dev.ccop.core;

/**
 * Turns one answer's {@link ChatEvent}s into a client dialect's stream frames. One instance per stream: it holds the
 * stream's block state.
 */
public interface StreamEncoder {

    String contentType();

    /** What the client gets at once, before the backend says anything. */
    String start();

    /** The frames for one event; {@code Finished} and {@code Failed} also write the stream's terminal frames. */
    String encode(ChatEvent event);

    /** A keep-alive frame for while nothing else flows. */
    String ping();
}
