package dev.ccop.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One shared daemon thread for periodic per-stream chores (keep-alives, idle checks); tasks must be quick. */
public final class Ticker {
    private static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "stream-ticker");
        thread.setDaemon(true);
        return thread;
    });

    static {
        EXECUTOR.setRemoveOnCancelPolicy(true);
    }

    private Ticker() {}

    public static ScheduledFuture<?> after(Duration delay, Runnable task) {
        return EXECUTOR.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    public static ScheduledFuture<?> every(Duration period, Runnable task) {
        long nanos = Math.max(1, period.toNanos());
        return EXECUTOR.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
    }
}
