package dev.ccop.core;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Time for the stream chores whose timing decides behaviour (keep-alives, idle deadlines): the clock they read and
 * the scheduler they run on. {@link #SYSTEM} in the proxy; tests pass one they advance by hand.
 */
public interface Ticker {

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Runs {@code task} once after {@code delay}; the task must be quick. */
    Cancellable after(Duration delay, Runnable task);

    /** Runs {@code task} every {@code period}, first after one period; the task must be quick. */
    Cancellable every(Duration period, Runnable task);

    /** A scheduled task that can be called off. */
    interface Cancellable {
        void cancel();
    }

    /** Never runs anything: for chores that do not apply (a request that is not on a socket, say). */
    Ticker NEVER = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable after(Duration delay, Runnable task) {
            return () -> { };
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
            return () -> { };
        }
    };

    /** The real clock, and one shared daemon thread for every stream's chores. */
    Ticker SYSTEM = new Ticker() {
        private final ScheduledThreadPoolExecutor executor = executor();

        private static ScheduledThreadPoolExecutor executor() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "stream-ticker");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Cancellable after(Duration delay, Runnable task) {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
            long nanos = Math.max(1, period.toNanos());
            ScheduledFuture<?> future = executor.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        }
    };
}
