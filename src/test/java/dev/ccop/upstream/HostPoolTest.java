package dev.ccop.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccop.core.ProxyError;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's choice: rendezvous hashing for conversations, least outstanding without one, limits, weights. */
class HostPoolTest {
    private static UpstreamHost host(int n) {
        return new UpstreamHost(URI.create("http://gpu" + n + ":11434"), 1, 0);
    }

    private static Map<UpstreamHost, Integer> spread(HostPool pool, int keys) {
        Map<UpstreamHost, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            HostPool.Lease lease = pool.take("m", "session:" + i, Set.of());
            counts.merge(lease.host(), 1, Integer::sum);
            lease.release();
        }
        return counts;
    }

    @Test
    void conversationsSpreadEvenlyAndTwoPoolsOverTheSameHostsAgree() {
        List<UpstreamHost> hosts = List.of(host(1), host(2), host(3));
        Map<UpstreamHost, Integer> counts = spread(new HostPool(hosts), 3000);
        counts.values().forEach(n -> assertThat(n).isBetween(850, 1150)); // ±15 % of 1,000

        HostPool another = new HostPool(List.of(host(3), host(1), host(2))); // another proxy, hosts in another order
        HostPool first = new HostPool(hosts);
        for (int i = 0; i < 200; i++) {
            String key = "session:" + i;
            assertThat(another.take("m", key, Set.of()).host().url())
                    .isEqualTo(first.take("m", key, Set.of()).host().url());
        }
    }

    @Test
    void losingAHostMovesOnlyItsOwnConversations() {
        UpstreamHost a = host(1);
        UpstreamHost b = host(2);
        UpstreamHost c = host(3);
        HostPool pool = new HostPool(List.of(a, b, c));
        int moved = 0;
        for (int i = 0; i < 1000; i++) {
            String key = "session:" + i;
            UpstreamHost before = pool.take("m", key, Set.of()).host();
            UpstreamHost after = pool.take("m", key, before == b ? Set.of() : Set.of(b)).host();
            if (before != b) {
                assertThat(after).isEqualTo(before);
            } else {
                moved++;
            }
        }
        assertThat(moved).isBetween(250, 420); // about a third: b's own
    }

    @Test
    void aWeightedHostGetsItsShare() {
        UpstreamHost big = new UpstreamHost(URI.create("http://big:11434"), 3, 0);
        HostPool pool = new HostPool(List.of(big, host(1)));
        Map<UpstreamHost, Integer> counts = spread(pool, 4000);
        assertThat(counts.get(big)).isBetween(2800, 3200); // three quarters
    }

    @Test
    void withoutAConversationTheLeastBusyHostIsChosenAndFullHostsArePassedOver() throws Exception {
        UpstreamHost a = new UpstreamHost(URI.create("http://a:1"), 1, 1);
        UpstreamHost b = new UpstreamHost(URI.create("http://b:1"), 1, 1);
        HostPool pool = new HostPool(List.of(a, b), 1, Duration.ofSeconds(30));
        HostPool.Lease first = pool.take("m", null, Set.of());
        HostPool.Lease second = pool.take("m", null, Set.of());
        assertThat(second.host()).isNotEqualTo(first.host());

        // Both full: one request waits for a slot; a second one finds the queue full and is refused.
        CompletableFuture<HostPool.Lease> waiter = CompletableFuture.supplyAsync(
                () -> pool.take("m", "session:x", Set.of()), Executors.newVirtualThreadPerTaskExecutor());
        while (pool.waiting() == 0) {
            Thread.onSpinWait();
        }
        assertThatThrownBy(() -> pool.take("m", "session:y", Set.of()))
                .isInstanceOfSatisfying(ProxyError.class, e -> assertThat(e.status()).isEqualTo(529))
                .hasMessageContaining("already waiting");
        first.release();
        first.release(); // once only
        assertThat(waiter.get(10, TimeUnit.SECONDS).host()).isEqualTo(first.host());
        assertThat(pool.affinityHits() + pool.affinityMoves()).isEqualTo(1);

        HostPool impatient = new HostPool(List.of(new UpstreamHost(URI.create("http://c:1"), 1, 1)), 8,
                Duration.ofMillis(50));
        impatient.take("m", null, Set.of());
        assertThatThrownBy(() -> impatient.take("m", null, Set.of()))
                .isInstanceOfSatisfying(ProxyError.class, e -> assertThat(e.status()).isEqualTo(529))
                .hasMessageContaining("no slot came free within 50 ms");
    }

    @Test
    void aHostWithoutTheModelIsNotChosen() {
        UpstreamHost a = host(1);
        UpstreamHost b = host(2);
        a.models(Set.of("qwen3:8b"));
        b.models(Set.of("llama3.1:8b"));
        HostPool pool = new HostPool(List.of(a, b));
        for (int i = 0; i < 50; i++) {
            assertThat(pool.take("llama3.1:8b", "session:" + i, Set.of()).host()).isEqualTo(b);
        }
        assertThat(pool.take("mistral", "k", Set.of())).isNull();
    }
}
