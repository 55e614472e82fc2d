package dev.ccop.upstream;

import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The servers one backend can send a request to, and the choice among them. A conversation (an affinity key) goes
 * to the healthy host that has its model with the highest rendezvous score for that key, so every proxy that knows
 * the same hosts picks the same one without sharing anything, and losing a host moves only its own conversations;
 * a request without a key goes to the host with the fewest requests under way for its weight. A host at its
 * concurrency limit is passed over (the conversation moves; counted); when every host is, the request waits in a
 * bounded queue for a slot, and beyond the queue's length or wait it is refused with 529 and a Retry-After.
 */
public final class HostPool {
    private final List<UpstreamHost> hosts;
    private final int queueLimit;
    private final Duration queueWait;
    private final LongAdder affinityHits = new LongAdder();
    private final LongAdder affinityMoves = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final Lease FULL = new Lease(null);
    private int waiting;

    /** With a queue of 64 requests waiting at most 30 s for a host at its limit. */
    public HostPool(List<UpstreamHost> hosts) {
        this(hosts, 64, Duration.ofSeconds(30));
    }

    public HostPool(List<UpstreamHost> hosts, int queueLimit, Duration queueWait) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts");
        }
        this.hosts = List.copyOf(hosts);
        this.queueLimit = queueLimit;
        this.queueWait = queueWait;
    }

    public List<UpstreamHost> hosts() {
        return hosts;
    }

    /** Requests waiting for a slot now. */
    public int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    public long affinityHits() {
        return affinityHits.sum();
    }

    public long affinityMoves() {
        return affinityMoves.sum();
    }

    /** A host taken for one request; {@link #release()} gives it back, once. */
    public final class Lease {
        private final UpstreamHost host;
        private boolean released;

        private Lease(UpstreamHost host) {
            this.host = host;
        }

        public UpstreamHost host() {
            return host;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                host.give();
                lock.lock();
                try {
                    freed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Takes a host for a request for {@code model} ({@code key} null: no conversation to keep together), other than
     * those in {@code tried}. Hosts whose circuit is open are skipped while any other can take the request; when none
     * can, they are tried anyway, so that a request reports the real failure instead of an empty pool.
     */
    public Lease take(String model, String key, Set<UpstreamHost> tried) {
        return take(model, key, tried, () -> false);
    }

    /**
     * As above; when every host that could take the request is at its limit, the request waits for a free slot, up to
     * {@code queueWait}, with at most {@code queueLimit} requests waiting — beyond either, or when {@code cancelled}
     * says the client has gone, it is refused with 529.
     */
    public Lease take(String model, String key, Set<UpstreamHost> tried, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + queueWait.toNanos();
        boolean queued = false;
        try {
            while (true) {
                Lease lease = tryTake(model, key, tried);
                if (lease != FULL) {
                    return lease;
                }
                lock.lock();
                try {
                    if (!queued) {
                        if (waiting >= queueLimit) {
                            throw overloaded(model, queueLimit + " requests are already waiting");
                        }
                        waiting++;
                        queued = true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || cancelled.getAsBoolean()) {
                        throw overloaded(model, "no slot came free within " + queueWait.toMillis() + " ms");
                    }
                    // Woken by a release; the bounded wait also covers a release between the attempt and the wait.
                    freed.await(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProxyError(ErrorKind.API_ERROR, 499, "Request cancelled");
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            if (queued) {
                lock.lock();
                try {
                    waiting--;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private static ProxyError overloaded(String model, String why) {
        return new ProxyError(ErrorKind.OVERLOADED, 529, "Every upstream host that has '" + model + "' is at its"
                + " concurrency limit and " + why + "; retry in a moment.");
    }

    /** One attempt: a lease, null when no host has the model, or {@link #FULL}. */
    private Lease tryTake(String model, String key, Set<UpstreamHost> tried) {
        List<UpstreamHost> candidates = new ArrayList<>();
        for (UpstreamHost host : hosts) {
            if (!tried.contains(host) && host.mayHave(model) && host.healthy()) {
                candidates.add(host);
            }
        }
        if (candidates.isEmpty()) {
            for (UpstreamHost host : hosts) {
                if (!tried.contains(host) && host.mayHave(model)) {
                    candidates.add(host);
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        List<UpstreamHost> order = new ArrayList<>(candidates);
        if (key != null) {
            order.sort(Comparator.comparingDouble((UpstreamHost h) -> score(key, h)).reversed());
        } else {
            order.sort(Comparator.comparingDouble(h -> (h.outstanding() + 1.0) / h.weight()));
        }
        for (int i = 0; i < order.size(); i++) {
            UpstreamHost host = order.get(i);
            if (host.tryTake()) {
                if (key != null && tried.isEmpty()) {
                    (i == 0 ? affinityHits : affinityMoves).increment();
                }
                return new Lease(host);
            }
        }
        return FULL;
    }

    /**
     * Weighted rendezvous (highest random weight) score of a host for a key: {@code -weight / ln(u)} with {@code u}
     * uniform in (0, 1) from a hash of the key and the host's address.
     */
    static double score(String key, UpstreamHost host) {
        long h = fnv1a64(key + "\u0000" + host.url());
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
        return -host.weight() / Math.log(u);
    }

    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
