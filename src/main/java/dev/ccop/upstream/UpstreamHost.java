package dev.ccop.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One server of a pool: its address, weight and concurrency limit, the requests it has under way, the models it
 * reported last, and its circuit breaker (three failures in the last five calls open it; it stays open 5 s, then
 * longer after each failed probe, up to a minute, until one probe succeeds).
 */
public final class UpstreamHost {
    private final URI url;
    private final int weight;
    private final int maxConcurrent;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final CircuitBreaker breaker;
    private volatile Set<String> models; // null: not read yet

    /** {@code maxConcurrent} 0: no limit. */
    public UpstreamHost(URI url, int weight, int maxConcurrent) {
        this.url = url;
        this.weight = Math.max(1, weight);
        this.maxConcurrent = maxConcurrent;
        this.breaker = CircuitBreaker.of(url.toString(), CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(5)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(50)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(5), 2.0,
                        Duration.ofMinutes(1)))
                .build());
    }

    public URI url() {
        return url;
    }

    public int weight() {
        return weight;
    }

    public int outstanding() {
        return outstanding.get();
    }

    /** Whether the host takes new requests now: its circuit is closed (or ready to be probed). */
    public boolean healthy() {
        return breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN;
    }

    public String state() {
        return breaker.getState().name().toLowerCase();
    }

    /** Whether the host has a concurrency limit. */
    public boolean limited() {
        return maxConcurrent > 0;
    }

    /** Whether the host may have the model: it said so, or it has not said yet. */
    boolean mayHave(String model) {
        Set<String> known = models;
        return known == null || known.contains(model);
    }

    public void models(Set<String> reported) {
        models = Set.copyOf(reported);
    }

    boolean tryTake() {
        if (maxConcurrent <= 0) {
            outstanding.incrementAndGet();
            return true;
        }
        while (true) {
            int now = outstanding.get();
            if (now >= maxConcurrent) {
                return false;
            }
            if (outstanding.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void give() {
        outstanding.decrementAndGet();
    }

    /** Whether an open circuit's wait is over: the breaker turns half-open and lets one probe through. */
    public boolean permitsProbe() {
        return breaker.tryAcquirePermission();
    }

    public void succeeded() {
        breaker.onSuccess(0, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void failed(Throwable cause) {
        breaker.onError(0, java.util.concurrent.TimeUnit.NANOSECONDS, cause);
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
