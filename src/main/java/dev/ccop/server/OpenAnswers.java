package dev.ccop.server;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ForwardingChatStream;
import dev.ccop.core.ProxyError;
import io.javalin.config.Key;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers under way, so that a stopping proxy can let them finish for a while and then end the rest properly:
 * with their dialect's error event (or error body), saying the proxy is shutting down, instead of a cut connection.
 */
final class OpenAnswers {
    static final Key<OpenAnswers> KEY = new Key<>("ccop.open-answers");

    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();

    /** An answer's events, ended by {@link #endAll} with a 503 that says why. */
    final class Tracked extends ForwardingChatStream {
        private volatile boolean ended;

        private Tracked(ChatStream inner) {
            super(inner);
        }

        @Override
        public ChatEvent next() {
            ChatEvent event = inner.next();
            if (ended && (event == null || event instanceof ChatEvent.Failed)) {
                return event == null ? null : new ChatEvent.Failed(new ProxyError(ErrorKind.OVERLOADED, 503,
                        "The proxy is shutting down; send the request again in a moment."));
            }
            return event;
        }

        void end() {
            ended = true;
            inner.close();
        }

        @Override
        public void close() {
            open.remove(this);
            inner.close();
        }
    }

    ChatStream track(ChatStream upstream) {
        Tracked tracked = new Tracked(upstream);
        open.add(tracked);
        return tracked;
    }

    int size() {
        return open.size();
    }

    /** Waits until every answer has ended (and been closed), or {@code limit} has passed; true when none is left. */
    boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return open.isEmpty();
    }

    void endAll() {
        open.forEach(Tracked::end);
    }
}
