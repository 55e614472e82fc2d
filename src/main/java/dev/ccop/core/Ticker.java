package dev.ccop.core;

import java.time.Duration;

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

    /** The real clock, and one shared daemon thread for every stream's chores, looking at them every 50 ms. */
    Ticker SYSTEM = new CoarseTicker(Duration.ofMillis(50));
}
