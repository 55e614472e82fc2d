package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer from one host of a pool, with failover before it starts: a host that cannot be reached, drops the
 * connection before answering, answers 502/503 (a host still loading, a broken gateway) or lacks the model is left
 * for the next one, at most {@value #ATTEMPTS} hosts in all. Once a host has begun to answer nothing switches: a
 * break mid-answer ends it with an error event.
 */
public final class FailoverLineSource implements LineSource {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverLineSource.class);
    static final int ATTEMPTS = 3;

    private final HostPool pool;
    private final String model;
    private final String key;
    private final Function<UpstreamHost, LineSource> sources;
    private volatile LineSource current;
    private volatile HostPool.Lease lease;
    private volatile boolean closed;

    /** {@code key}: the conversation to keep on one host (null: none); {@code sources}: a request to one host. */
    public FailoverLineSource(HostPool pool, String model, String key, Function<UpstreamHost, LineSource> sources) {
        this.pool = pool;
        this.model = model;
        this.key = key;
        this.sources = sources;
    }

    @Override
    public ChatEvent.Failed open() {
        Set<UpstreamHost> tried = new HashSet<>();
        ChatEvent.Failed last = null;
        for (int attempt = 0; attempt < ATTEMPTS && !closed; attempt++) {
            HostPool.Lease taken;
            try {
                taken = pool.take(model, key, tried, () -> closed);
            } catch (ProxyError e) {
                return new ChatEvent.Failed(e);
            }
            if (taken == null) {
                break;
            }
            lease = taken;
            UpstreamHost host = taken.host();
            LineSource source = sources.apply(host);
            current = source;
            if (closed) {
                source.close();
            }
            ChatEvent.Failed failure = source.open();
            if (failure == null) {
                host.succeeded();
                return null;
            }
            int status = failure.error().status();
            boolean hostFailed = status == 502 || status == 503;
            if (hostFailed) {
                host.failed(failure.error());
            } else {
                host.succeeded(); // it answered; the error is the request's own
            }
            if (closed || !(hostFailed || status == 404)) {
                return failure;
            }
            LOG.info("{} could not take the request for {} ({}); trying another host", host, model,
                    failure.error().getMessage());
            taken.release();
            tried.add(host);
            last = failure;
        }
        if (closed) {
            return new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled"));
        }
        return last != null ? last : new ChatEvent.Failed(new ProxyError(ErrorKind.NOT_FOUND, 404,
                "No upstream host has the model '" + model + "'."));
    }

    @Override
    public Utf8LineReader reader() {
        return current.reader();
    }

    @Override
    public ChatEvent.Failed endedEarly(Exception cause) {
        return current.endedEarly(cause);
    }

    @Override
    public void finished() {
        try {
            current.finished();
        } finally {
            release();
        }
    }

    @Override
    public void close() {
        closed = true;
        LineSource open = current;
        try {
            if (open != null) {
                open.close();
            }
        } finally {
            release();
        }
    }

    private void release() {
        HostPool.Lease taken = lease;
        if (taken != null) {
            taken.release();
        }
    }
}
