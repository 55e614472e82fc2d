package dev.ccop.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.config.Config;
import dev.ccop.testing.FakeOllama;
import dev.ccop.testing.ProxyHarness;
import dev.ccop.testing.TestConfig;
import dev.ccop.upstream.HostPool;
import dev.ccop.upstream.UpstreamHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three Ollama test doubles behind two proxies configured with the same pool: conversations stay on one host and both
 * proxies choose the same one; load spreads evenly over many conversations; a host that dies is failed over before
 * any answer starts, its conversations move to one other host each, and it rejoins when it comes back.
 */
class UpstreamPoolTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<FakeOllama> hosts = new ArrayList<>();
    private final List<ProxyHarness> proxies = new ArrayList<>();

    @AfterEach
    void stop() {
        proxies.forEach(ProxyHarness::close);
        hosts.forEach(FakeOllama::close);
    }

    private void start(int proxyCount) throws Exception {
        for (int i = 0; i < 3; i++) {
            hosts.add(new FakeOllama().model("qwen3:8b", "completion", "tools"));
        }
        for (int p = 0; p < proxyCount; p++) {
            TestConfig config = TestConfig.of(ProxyHarness.config(hosts.getFirst().url(), Map.of(), "qwen3:8b",
                    Duration.ofSeconds(5), Duration.ofSeconds(30), null));
            config.ollamaHosts = hosts.stream().map(h -> new Config.Host(h.url(), 1, 0)).toList();
            proxies.add(new ProxyHarness(hosts.getFirst(), config.build()));
        }
    }

    /** One turn of a conversation: its first user message names it, so it is its affinity key. */
    private int turn(ProxyHarness proxy, int session, int turns) throws Exception {
        StringBuilder messages = new StringBuilder("{\"role\":\"user\",\"content\":\"conversation " + session + "\"}");
        for (int t = 1; t < turns; t++) {
            messages.append(",{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"turn ")
                    .append(t).append("\"}");
        }
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"messages\":[" + messages + "]}";
        return http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** For each conversation, the hosts that saw it. */
    private Map<Integer, Set<Integer>> whoServed() {
        Map<Integer, Set<Integer>> served = new HashMap<>();
        for (int h = 0; h < hosts.size(); h++) {
            for (JsonNode request : hosts.get(h).chatRequests()) {
                String first = request.path("messages").get(0).path("content").asText();
                if (first.startsWith("conversation ")) {
                    served.computeIfAbsent(Integer.parseInt(first.substring(13)), k -> new HashSet<>()).add(h);
                }
            }
        }
        return served;
    }

    @Test
    void twoHundredConversationsOfTenTurnsEachStayOnOneHostWhicheverProxyTheyGoThrough() throws Exception {
        start(2);
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<List<Integer>>> sessions = new ArrayList<>();
            for (int s = 0; s < 200; s++) {
                int session = s;
                sessions.add(clients.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int t = 1; t <= 10; t++) {
                        statuses.add(turn(proxies.get(t % 2), session, t)); // turns alternate between the proxies
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> session : sessions) {
                assertThat(session.get(120, TimeUnit.SECONDS)).containsOnly(200);
            }
        }
        Map<Integer, Set<Integer>> served = whoServed();
        assertThat(served).hasSize(200);
        long onOneHost = served.values().stream().filter(s -> s.size() == 1).count();
        assertThat(onOneHost).isGreaterThanOrEqualTo(198); // ≥ 99 %; in practice all of them
        String metrics = proxies.getFirst().get("/metrics").body();
        assertThat(metrics).contains("ccop_upstream_affinity_total{outcome=\"kept\"} 1000.0")
                .contains("ccop_upstream_host_healthy{host=\"" + hosts.get(2).url() + "\"} 1.0");
    }

    @Test
    void aSingleServerWithALimitMakesTheRequestOverItWaitForASlot() throws Exception {
        FakeOllama only = new FakeOllama().model("qwen3:8b", "completion", "tools");
        hosts.add(only);
        TestConfig config = TestConfig.of(ProxyHarness.config(only.url(), Map.of(), "qwen3:8b",
                Duration.ofSeconds(5), Duration.ofSeconds(30), null));
        config.ollamaHosts = List.of(new Config.Host(only.url(), 1, 1));
        ProxyHarness proxy = new ProxyHarness(only, config.build());
        proxies.add(proxy);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        only.enqueue(dev.ccop.testing.FakeOllama.Reply.text("first").holdUntil(release));

        try (ExecutorService clients = Executors.newFixedThreadPool(2)) {
            Future<Integer> first = clients.submit(() -> turn(proxy, 1, 1));
            awaitTrue(() -> only.chatRequests().size() == 1);
            Future<Integer> second = clients.submit(() -> turn(proxy, 2, 1));
            HostPool pool = ((OllamaBackend) proxy.proxy.backend()).pool();
            awaitTrue(() -> pool.waiting() == 1);
            assertThat(only.chatRequests()).hasSize(1);

            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(only.chatRequests()).hasSize(2);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void anAnswerCutMidStreamEndsWithAnErrorEventAndIsNotSwitchedToAnotherHost() throws Exception {
        start(1);
        ProxyHarness proxy = proxies.getFirst();
        assertThat(turn(proxy, 7, 1)).isEqualTo(200);
        int home = whoServed().get(7).iterator().next();
        int[] before = hosts.stream().mapToInt(h -> h.chatRequests().size()).toArray();
        hosts.get(home).enqueue(dev.ccop.testing.FakeOllama.Reply.text("Half an ans", "wer").thenCut());

        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":20,\"stream\":true,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"conversation 7\"}]}";
        String stream = http.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(stream).contains("Half an ans").contains("event: error").doesNotContain("event: message_stop");
        for (int h = 0; h < hosts.size(); h++) {
            assertThat(hosts.get(h).chatRequests().size()).as("host " + h).isEqualTo(before[h] + (h == home ? 1 : 0));
        }
    }

    @Test
    void aThousandConversationsSpreadWithinFifteenPercentOfAnEvenShare() throws Exception {
        start(1);
        for (int s = 0; s < 1000; s++) {
            assertThat(turn(proxies.getFirst(), s, 1)).isEqualTo(200);
        }
        for (FakeOllama host : hosts) {
            assertThat(host.chatRequests().size()).isBetween(283, 383);
        }
    }

    @Test
    void aHostThatDiesIsFailedOverItsConversationsMoveToOneHostEachAndItRejoins() throws Exception {
        start(1);
        ProxyHarness proxy = proxies.getFirst();
        for (int s = 0; s < 60; s++) {
            assertThat(turn(proxy, s, 1)).isEqualTo(200);
        }
        Map<Integer, Set<Integer>> before = whoServed();
        int port = hosts.get(1).url().getPort();
        hosts.get(1).close(); // host 1 dies

        for (int t = 2; t <= 4; t++) {
            for (int s = 0; s < 60; s++) {
                assertThat(turn(proxy, s, t)).as("no request that had not started may fail").isEqualTo(200);
            }
        }
        assertThat(proxy.get("/health/details").body()).contains("\"url\":\"" + hosts.get(1).url() + "\",\"state\":\"open\"");
        Map<Integer, Set<Integer>> after = whoServed();
        for (int s = 0; s < 60; s++) {
            Set<Integer> seen = after.get(s);
            if (before.get(s).contains(1)) {
                assertThat(seen).as("conversation " + s + " moved to one other host").hasSize(2);
            } else {
                assertThat(seen).as("conversation " + s + " stayed").isEqualTo(before.get(s));
            }
        }

        FakeOllama back = new FakeOllama(port).model("qwen3:8b", "completion", "tools");
        hosts.set(1, back);
        UpstreamHost pooled = ((OllamaBackend) proxy.proxy.backend()).pool().hosts().get(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!pooled.healthy() || back.chatRequests().isEmpty()) {
            assertThat(System.nanoTime()).as("host 1 rejoined within 60 s").isLessThan(deadline);
            Thread.sleep(200);
            for (int s = 0; s < 60 && back.chatRequests().isEmpty(); s++) {
                turn(proxy, s, 5);
            }
        }
        assertThat(back.chatRequests()).isNotEmpty();
    }
}
