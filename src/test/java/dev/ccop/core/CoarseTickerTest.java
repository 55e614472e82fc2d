package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoarseTickerTest {
    private final CoarseTicker ticker = new CoarseTicker(Duration.ofMillis(5));

    @Test
    void runsAOneOffChoreOnceAndARepeatedOneUntilCancelled() throws Exception {
        CountDownLatch once = new CountDownLatch(1);
        AtomicInteger onceRuns = new AtomicInteger();
        ticker.after(Duration.ofMillis(1), () -> {
            onceRuns.incrementAndGet();
            once.countDown();
        });
        CountDownLatch threeTimes = new CountDownLatch(3);
        Ticker.Cancellable repeated = ticker.every(Duration.ofMillis(1), threeTimes::countDown);

        assertThat(once.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threeTimes.await(10, TimeUnit.SECONDS)).isTrue();
        repeated.cancel();
        CountDownLatch later = new CountDownLatch(1);
        ticker.after(Duration.ofMillis(20), later::countDown); // a chore after the cancel: ticks went on meanwhile
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onceRuns).hasValue(1);
    }

    @Test
    void aCancelledChoreNeverRunsAndAFailingOneDoesNotStopTheOthers() throws Exception {
        AtomicInteger cancelledRuns = new AtomicInteger();
        ticker.after(Duration.ofMillis(30), cancelledRuns::incrementAndGet).cancel();
        ticker.after(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("a broken chore (logged as a warning)");
        });
        CountDownLatch after = new CountDownLatch(2);
        ticker.every(Duration.ofMillis(40), after::countDown);

        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRuns).hasValue(0);
    }
}
