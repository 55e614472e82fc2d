package dev.ccop.testing;

import dev.ccop.core.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Ticker} whose time moves only when a test calls {@link #advance}; due tasks run on the caller's thread. */
public final class ManualTicker implements Ticker {
    private long now;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Cancellable {
        long due;
        final long period; // 0: once
        final Runnable action;
        boolean cancelled;

        Task(long due, long period, Runnable action) {
            this.due = due;
            this.period = period;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable after(Duration delay, Runnable task) {
        Task scheduled = new Task(now + delay.toNanos(), 0, task);
        tasks.add(scheduled);
        return scheduled;
    }

    @Override
    public synchronized Cancellable every(Duration period, Runnable task) {
        Task scheduled = new Task(now + period.toNanos(), Math.max(1, period.toNanos()), task);
        tasks.add(scheduled);
        return scheduled;
    }

    /** Moves time forward by {@code by}, running every task that falls due on the way, in order. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                tasks.removeIf(t -> t.cancelled);
                next = tasks.stream().filter(t -> t.due <= target).min((a, b) -> Long.compare(a.due, b.due))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                now = next.due;
                if (next.period > 0) {
                    next.due += next.period;
                } else {
                    tasks.remove(next);
                }
            }
            next.action.run();
        }
    }

    /** Scheduled tasks not yet cancelled or run. */
    public synchronized int pending() {
        tasks.removeIf(t -> t.cancelled);
        return tasks.size();
    }
}
