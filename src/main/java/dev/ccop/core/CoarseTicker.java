package dev.ccop.core;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real clock, with one daemon thread that looks at every chore once per tick. Scheduling and cancelling only
 * add to and remove from a set: unlike a {@link java.util.concurrent.ScheduledThreadPoolExecutor}, whose thread is
 * woken each time a new earliest task arrives, a request's chores cost no thread wake-up (measured: three wake-ups
 * per streamed request otherwise, each a context switch on another core). Chores run up to one tick late, which is
 * nothing for keep-alives and deadlines counted in seconds. When no chore has arrived for ten seconds, the thread
 * sleeps until the earliest one is due or a new one arrives (that one wakes it, once).
 */
final class CoarseTicker implements Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(CoarseTicker.class);
    private static final long REST_AFTER_NANOS = Duration.ofSeconds(10).toNanos();

    private final long tickNanos;
    private final Set<Chore> chores = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean resting;
    private volatile long lastAdded = System.nanoTime();

    CoarseTicker(Duration tick) {
        this.tickNanos = tick.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("stream-ticker").unstarted(this::run);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable after(Duration delay, Runnable task) {
        return add(new Chore(System.nanoTime() + delay.toNanos(), 0, task));
    }

    @Override
    public Cancellable every(Duration period, Runnable task) {
        long nanos = Math.max(1, period.toNanos());
        return add(new Chore(System.nanoTime() + nanos, nanos, task));
    }

    private Cancellable add(Chore chore) {
        chores.add(chore);
        lastAdded = System.nanoTime();
        if (resting) {
            LockSupport.unpark(thread);
        }
        return () -> chores.remove(chore);
    }

    private void run() {
        while (true) {
            if (System.nanoTime() - lastAdded > REST_AFTER_NANOS) {
                rest();
            } else {
                LockSupport.parkNanos(this, tickNanos);
            }
            long now = System.nanoTime();
            for (Chore chore : chores) {
                if (now - chore.due >= 0) {
                    if (chore.period == 0) {
                        chores.remove(chore);
                    } else {
                        chore.due = now + chore.period;
                    }
                    runQuietly(chore.task);
                }
            }
        }
    }

    /** Sleeps until the earliest chore is due, or until a new one arrives. */
    private void rest() {
        resting = true;
        long earliest = Long.MAX_VALUE;
        long now = System.nanoTime();
        for (Chore chore : chores) {
            earliest = Math.min(earliest, Math.max(0, chore.due - now));
        }
        if (System.nanoTime() - lastAdded > REST_AFTER_NANOS) { // nothing arrived while looking
            if (earliest == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, earliest);
            }
        }
        resting = false;
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("a scheduled chore failed (the others go on)", e);
        }
    }

    /** Identity equality: each registration is its own chore. */
    private static final class Chore {
        private volatile long due;
        private final long period;
        private final Runnable task;

        Chore(long due, long period, Runnable task) {
            this.due = due;
            this.period = period;
            this.task = task;
        }
    }
}
