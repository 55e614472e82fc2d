package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class RecentCountsTest {
    private final AtomicInteger countings = new AtomicInteger();
    private final ToIntFunction<String> counter = text -> {
        countings.incrementAndGet();
        return text.length();
    };

    @Test
    void aTextSeenAgainIsNotCountedAgain() {
        RecentCounts recent = new RecentCounts(1_000);
        String prompt = "system prompt ".repeat(20);

        assertThat(recent.count(prompt, counter)).isEqualTo(prompt.length());
        assertThat(recent.count(new String(prompt), counter)).isEqualTo(prompt.length());
        assertThat(countings).hasValue(1);
    }

    @Test
    void textsWithTheSameHashAreKeptApart() {
        RecentCounts recent = new RecentCounts(1_000);
        String a = "Aa".repeat(100);
        String b = "BB".repeat(100);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());

        recent.count(a, text -> 1);
        assertThat(recent.count(b, text -> 2)).isEqualTo(2);
        assertThat(recent.count(a, text -> 3)).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedTextsGoFirstWhenTheLengthLimitIsPassed() {
        RecentCounts recent = new RecentCounts(300);
        String first = "a".repeat(100);
        String second = "b".repeat(100);
        String third = "c".repeat(100);
        recent.count(first, counter);
        recent.count(second, counter);
        recent.count(third, counter);
        recent.count(first, counter); // now the most recently used
        recent.count("d".repeat(100), counter); // 400 characters: the least recently used (second) goes

        assertThat(recent.size()).isEqualTo(3);
        countings.set(0);
        recent.count(first, counter);
        recent.count(third, counter);
        assertThat(countings).hasValue(0);
        recent.count(second, counter);
        assertThat(countings).hasValue(1);
    }

    @Test
    void aTextLongerThanTheWholeLimitIsCountedButNotKept() {
        RecentCounts recent = new RecentCounts(10);
        assertThat(recent.count("x".repeat(50), counter)).isEqualTo(50);
        assertThat(recent.size()).isZero();
    }
}
