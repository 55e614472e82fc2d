package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * An answer read line by line from a {@link LineSource} and decoded into events. Nothing starts before the first
 * {@link #next()}; {@link #close()} (from any thread) stops the source, which is how a client's hang-up or a timeout
 * stops generation.
 */
public final class LineChatStream implements ChatStream {
    private final LineSource source;
    private final LineDecoder decoder;
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();
    private volatile boolean closed;
    private boolean opened;
    private boolean ended;

    public LineChatStream(LineSource source, LineDecoder decoder) {
        this.source = source;
        this.decoder = decoder;
    }

    @Override
    public ChatEvent next() {
        while (!ended) {
            if (!pending.isEmpty()) {
                return emit(pending.poll());
            }
            if (closed) {
                return emit(cancelled());
            }
            if (!opened) {
                opened = true;
                ChatEvent.Failed failure = source.open();
                if (failure != null) {
                    return emit(closed ? cancelled() : failure);
                }
            }
            String line;
            try {
                line = source.reader().readLine();
            } catch (IOException e) {
                return emit(closed ? cancelled() : source.endedEarly(e));
            }
            if (line == null) {
                if (closed) {
                    return emit(cancelled());
                }
                pending.addAll(decoder.atEnd());
                if (pending.isEmpty()) {
                    return emit(source.endedEarly(null));
                }
            } else if (!line.isBlank()) {
                pending.addAll(decoder.decode(line));
            }
        }
        return null;
    }

    /**
     * Whether {@link #next()} returns at once. Lines that have already arrived are decoded now, so that a line which
     * gives no event (an empty chunk) cannot make the answer look ready and then wait.
     */
    @Override
    public boolean hasBuffered() {
        while (pending.isEmpty() && opened && !ended && !closed && source.reader() != null
                && source.reader().hasLine()) {
            String line;
            try {
                line = source.reader().readLine();
            } catch (IOException e) {
                return false; // next() reads on and reports it
            }
            if (line != null && !line.isBlank()) {
                pending.addAll(decoder.decode(line));
            }
        }
        return !pending.isEmpty();
    }

    private ChatEvent emit(ChatEvent event) {
        if (event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed) {
            ended = true;
            pending.clear();
            if (event instanceof ChatEvent.Finished) {
                source.finished();
            } else {
                source.close();
            }
        }
        return event;
    }

    private static ChatEvent cancelled() {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"));
    }

    @Override
    public void close() {
        closed = true;
        source.close();
    }
}
