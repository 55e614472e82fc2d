package dev.ccop.observe;

import dev.ccop.core.AnswerObserver;
import dev.ccop.core.AppliedEdit;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ModelCatalog;
import dev.ccop.core.ModelMap;
import dev.ccop.core.RepairStats;
import dev.ccop.core.Usage;
import dev.ccop.upstream.HostPool;
import dev.ccop.upstream.UpstreamHost;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The proxy's metrics, in Prometheus' text format at {@code /metrics}. The answer metrics follow OpenTelemetry's
 * GenAI semantic conventions (names, attributes and bucket boundaries); the proxy's own are under {@code ccop_}.
 * docs/OBSERVABILITY.md lists every series.
 */
public final class ProxyMetrics implements AnswerObserver {
    /** Bucket boundaries the GenAI conventions advise, in seconds and tokens. */
    private static final double[] DURATION_BUCKETS = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
            10.24, 20.48, 40.96, 81.92};
    private static final double[] FIRST_TOKEN_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0};
    private static final double[] PER_TOKEN_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
            1.0, 2.5};
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String provider;
    private final ModelLabels models;
    private final AtomicInteger activeAnswers = new AtomicInteger();

    public ProxyMetrics(String provider, ModelMap modelMap, ModelCatalog catalog, RepairStats repairs) {
        this.provider = provider;
        this.models = new ModelLabels(modelMap, catalog);
        Gauge.builder("ccop.answers.active", activeAnswers, AtomicInteger::get)
                .description("Answers being given now (streamed or not)").register(registry);
        repairCounter(repairs, "recovered_from_text", r -> r.snapshot().get("tool_calls_recovered_from_text"));
        repairCounter(repairs, "arguments_coerced", r -> r.snapshot().get("arguments_coerced"));
        FunctionCounter.builder("ccop.tool_calls.withheld", repairs,
                r -> r.snapshot().get("invalid_tool_calls_withheld"))
                .description("Tool calls withheld because their arguments stayed invalid").register(registry);
    }

    private void repairCounter(RepairStats repairs, String kind, ToLongFunction<RepairStats> count) {
        FunctionCounter.builder("ccop.tool_calls.repaired", repairs, r -> count.applyAsLong(r))
                .tag("kind", kind).description("Tool calls the proxy repaired").register(registry);
    }

    /** The servers of a pool: each one's requests under way and health, and how often conversations kept their host. */
    public void hosts(HostPool pool) {
        for (UpstreamHost host : pool.hosts()) {
            Gauge.builder("ccop.upstream.host.outstanding", host, UpstreamHost::outstanding)
                    .tag("host", host.url().toString()).description("Requests under way on each upstream host")
                    .register(registry);
            Gauge.builder("ccop.upstream.host.healthy", host, h -> h.healthy() ? 1 : 0)
                    .tag("host", host.url().toString()).description("1 while the host's circuit lets requests in")
                    .register(registry);
        }
        Gauge.builder("ccop.upstream.waiting", pool, HostPool::waiting)
                .description("Requests waiting for a slot on a host at its concurrency limit").register(registry);
        FunctionCounter.builder("ccop.upstream.affinity", pool, HostPool::affinityHits).tag("outcome", "kept")
                .description("Conversations sent to their own host, or moved (that host full)").register(registry);
        FunctionCounter.builder("ccop.upstream.affinity", pool, HostPool::affinityMoves).tag("outcome", "moved")
                .description("Conversations sent to their own host, or moved (that host full)").register(registry);
    }

    /** A counter read from elsewhere (the sessions' recall count, say). */
    public <T> void count(String name, String description, T source, ToLongFunction<T> count) {
        FunctionCounter.builder(name, source, s -> count.applyAsLong(s)).description(description).register(registry);
    }

    @Override
    public ChatStream watch(Facts facts, ChatStream events) {
        Tags tags = Tags.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", provider,
                "gen_ai.request.model", models.label(facts.requestedModel()),
                "gen_ai.response.model", models.label(facts.upstreamModel()));
        if (facts.appliedEdits() != null) {
            for (AppliedEdit edit : facts.appliedEdits()) {
                Counter.builder("ccop.context.edits").tag("type", edit.type())
                        .description("Context edits applied to requests").register(registry).increment();
                Counter.builder("ccop.context.cleared").tag("type", edit.type())
                        .description("Tool uses or thinking turns cleared by context edits").register(registry)
                        .increment(edit.clearedCount());
            }
        }
        RequestRecord record = RequestRecord.current();
        if (record != null) {
            record.answer(facts.requestedModel(), facts.upstreamModel(), facts.sessionId());
        }
        activeAnswers.incrementAndGet();
        return new MeteredAnswer(events, new AnswerMeters(tags, record));
    }

    /** One HTTP request answered, by the front whose path it was on ("none" for the proxy's own paths). */
    public void request(String front, int status) {
        Counter.builder("ccop.http.requests").tags("front", front, "status", Integer.toString(status))
                .description("HTTP requests answered, by front and status").register(registry).increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    /** The meters of one answer, with its labels. */
    final class AnswerMeters {
        private final Tags tags;
        private final RequestRecord record; // null outside an HTTP request

        private AnswerMeters(Tags tags, RequestRecord record) {
            this.tags = tags;
            this.record = record;
        }

        void upstreamLatency(long nanos) {
            Timer.builder("ccop.upstream.latency").tags(tags).serviceLevelObjectives(seconds(FIRST_TOKEN_BUCKETS))
                    .description("From the request to the backend's first event").register(registry)
                    .record(Duration.ofNanos(nanos));
        }

        void timeToFirstToken(long nanos) {
            Timer.builder("gen_ai.server.time_to_first_token").tags(tags)
                    .serviceLevelObjectives(seconds(FIRST_TOKEN_BUCKETS))
                    .description("Time to the first text, thinking or tool-call token").register(registry)
                    .record(Duration.ofNanos(nanos));
            if (record != null) {
                record.firstToken(nanos);
            }
        }

        void usage(Usage usage, long nanosAfterFirstToken) {
            if (record != null) {
                record.usage(usage.inputTokens(), usage.outputTokens(), usage.cachedInputTokens());
            }
            tokens("input", usage.inputTokens());
            tokens("output", usage.outputTokens());
            if (usage.cachedInputTokens() > 0) {
                Counter.builder("ccop.kv_cache.tokens.read").tags(tags)
                        .description("Prompt tokens the backend read from its cache").register(registry)
                        .increment(usage.cachedInputTokens());
            }
            if (nanosAfterFirstToken >= 0 && usage.outputTokens() > 1) {
                Timer.builder("gen_ai.server.time_per_output_token").tags(tags)
                        .serviceLevelObjectives(seconds(PER_TOKEN_BUCKETS))
                        .description("Time per output token after the first").register(registry)
                        .record(Duration.ofNanos(nanosAfterFirstToken / (usage.outputTokens() - 1)));
            }
        }

        private void tokens(String type, int count) {
            DistributionSummary.builder("gen_ai.client.token.usage").tags(tags).tag("gen_ai.token.type", type)
                    .serviceLevelObjectives(TOKEN_BUCKETS).description("Tokens used per answer")
                    .register(registry).record(count);
        }

        /** {@code errorType} null: the answer ended normally. */
        void ended(long nanos, String errorType) {
            Timer.builder("gen_ai.client.operation.duration").tags(tags)
                    .tag("error.type", errorType == null ? "none" : errorType)
                    .serviceLevelObjectives(seconds(DURATION_BUCKETS)).description("Whole answers, start to end")
                    .register(registry).record(Duration.ofNanos(nanos));
            if (errorType != null && record != null) {
                record.failed(errorType);
            }
            if (errorType != null) {
                Counter.builder("ccop.answers.failed").tags(tags).tag("error.type", errorType)
                        .description("Answers that ended with an error, or whose client left").register(registry)
                        .increment();
            }
        }

        void closed() {
            activeAnswers.decrementAndGet();
        }
    }

    private static Duration[] seconds(double[] bounds) {
        Duration[] durations = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            durations[i] = Duration.ofNanos((long) (bounds[i] * 1e9));
        }
        return durations;
    }
}
