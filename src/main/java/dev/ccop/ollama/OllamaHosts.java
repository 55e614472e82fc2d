package dev.ccop.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Ticker;
import dev.ccop.upstream.FailoverLineSource;
import dev.ccop.upstream.HostPool;
import dev.ccop.upstream.LineChatStream;
import dev.ccop.upstream.UpstreamHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ollama servers answers come from: one (the usual set-up) or several, chosen per request by {@link HostPool}.
 * With several, a background check asks each one for its version every few seconds (a host whose circuit is open
 * only when its backoff allows a probe) and re-reads each one's models, so a host that comes back rejoins by itself.
 */
public final class OllamaHosts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OllamaHosts.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    private final HostPool pool;
    private final Map<UpstreamHost, OllamaClient> clients = new LinkedHashMap<>();
    /** Several hosts, or one with a concurrency limit: requests go through the pool. */
    private final boolean pooled;
    private final Ticker.Cancellable checks;

    public OllamaHosts(List<UpstreamHost> hosts, int maxLineBytes) {
        this.pool = new HostPool(hosts);
        hosts.forEach(host -> clients.put(host, new OllamaClient(host.url(), maxLineBytes)));
        this.pooled = hosts.size() > 1 || hosts.getFirst().limited();
        this.checks = pooled ? Ticker.SYSTEM.every(CHECK_EVERY, () -> Thread.startVirtualThread(this::check))
                : () -> { };
    }

    public HostPool pool() {
        return pool;
    }

    /** A streamed chat on the host the pool picks for {@code key}, failing over before the answer starts. */
    ChatStream chat(byte[] body, String model, String key, Runnable onNotFound) {
        if (!pooled) {
            return clients.values().iterator().next().chat(body, model, onNotFound);
        }
        return new LineChatStream(new FailoverLineSource(pool, model, key,
                host -> clients.get(host).chatSource(body, model, onNotFound)), new OllamaChunkDecoder());
    }

    /** A metadata call to the first healthy host that may have {@code model} (null: any), then to the others. */
    JsonNode postJson(String path, JsonNode body, String model) {
        ProxyError last = null;
        for (UpstreamHost host : inOrder()) {
            try {
                return clients.get(host).postJson(path, body, model);
            } catch (ProxyError e) {
                last = e;
                if (e.status() != 404 && e.status() < 500) {
                    throw e;
                }
            }
        }
        throw last;
    }

    JsonNode getJson(String path) {
        ProxyError last = null;
        for (UpstreamHost host : inOrder()) {
            try {
                return clients.get(host).getJson(path);
            } catch (ProxyError e) {
                last = e;
            }
        }
        throw last;
    }

    /** Every host's {@code /api/tags} answer (a host that does not answer is left out, unless none answers). */
    List<JsonNode> tags() {
        List<JsonNode> answers = new ArrayList<>();
        ProxyError last = null;
        for (UpstreamHost host : pool.hosts()) {
            try {
                answers.add(readTags(host));
            } catch (ProxyError e) {
                last = e;
            }
        }
        if (answers.isEmpty()) {
            throw last;
        }
        return answers;
    }

    private JsonNode readTags(UpstreamHost host) {
        JsonNode tags = clients.get(host).getJson("/api/tags");
        Set<String> names = new HashSet<>();
        tags.path("models").forEach(m -> names.add(m.path("name").asText(m.path("model").asText(""))));
        host.models(names);
        return tags;
    }

    String describe() {
        return pool.hosts().size() == 1 ? "Ollama at " + pool.hosts().getFirst().url()
                : "Ollama at " + pool.hosts().stream().map(h -> h.url().toString()).collect(Collectors.joining(", "));
    }

    String url() {
        return pool.hosts().stream().map(h -> h.url().toString()).collect(Collectors.joining(","));
    }

    private List<UpstreamHost> inOrder() {
        List<UpstreamHost> order = new ArrayList<>(pool.hosts().stream().filter(UpstreamHost::healthy).toList());
        pool.hosts().stream().filter(h -> !h.healthy()).forEach(order::add);
        return order;
    }

    /** The background check: probes hosts whose circuit allows it, and refreshes what each has. */
    private void check() {
        for (UpstreamHost host : pool.hosts()) {
            boolean wasHealthy = host.healthy();
            if (!wasHealthy && !host.permitsProbe()) {
                continue;
            }
            try {
                readTags(host);
                host.succeeded();
                if (!wasHealthy) {
                    LOG.info("{} answers again: back in the pool", host);
                }
            } catch (ProxyError e) {
                host.failed(e);
                if (wasHealthy && !host.healthy()) {
                    LOG.warn("{} taken out of the pool: {}", host, e.getMessage());
                }
            } catch (RuntimeException e) {
                host.failed(e);
            }
        }
    }

    @Override
    public void close() {
        checks.cancel();
    }
}
