package dev.ccop.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what the proxy costs against the direct upstream (and claude-code-router, the peer), all on loopback, in
 * one run: non-streaming latency at a fixed rate and the maximum rate, time to first token and per-chunk latency,
 * memory with many open streams, start-up time. Reports; asserts nothing.
 */
public final class Bench {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern STAMP = Pattern.compile("t=(\\d+);");

    private final Path jar;
    private final Path launcher;
    private final Path classes;
    private final Path peerDir;
    private final ObjectNode results = MAPPER.createObjectNode();
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).build();

    /** A thing to send requests to, and the process that serves it (for its CPU time). */
    record Target(String name, URI messagesUrl, boolean ollamaNative, long pid) {}

    private Bench(Path jar, Path classes, Path peerDir) {
        this.jar = jar;
        this.launcher = jar.toAbsolutePath().getParent().getParent().resolve("bin").resolve("claude-code-ollama-proxy");
        this.classes = classes;
        this.peerDir = peerDir;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Path.of(args[2]) : null);
        try {
            bench.run();
        } finally {
            bench.processes.forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            });
        }
    }

    private void run() throws Exception {
        int upstreamPort = freePort();
        Process standIn = start(List.of(java(), "-cp", jar + ":" + classes, StandIn.class.getName(),
                Integer.toString(upstreamPort)), Map.of(), "stand-in");
        waitFor(URI.create("http://127.0.0.1:" + upstreamPort + "/"), Duration.ofSeconds(20));
        String upstream = "http://127.0.0.1:" + upstreamPort;

        System.out.println("== start-up");
        startup(upstream);
        int proxyPort = freePort();
        Process proxy = startProxy(upstream, proxyPort);
        waitFor(URI.create("http://127.0.0.1:" + proxyPort + "/"), Duration.ofSeconds(30));

        List<Target> targets = new ArrayList<>();
        targets.add(new Target("direct", URI.create(upstream + "/api/chat"), true, standIn.pid()));
        targets.add(new Target("proxy", URI.create("http://127.0.0.1:" + proxyPort + "/v1/messages"), false,
                proxy.pid()));
        Target peer = startPeer(upstream);
        if (peer != null) {
            targets.add(peer);
        }

        String only = System.getenv().getOrDefault("BENCH_ONLY", "");
        if (only.equals("open")) {
            int n = Integer.parseInt(System.getenv().getOrDefault("BENCH_STREAMS", "1000"));
            System.out.println(openStreams(targets.get(1), n));
            return;
        }
        if (only.equals("serial")) { // one client, one request at a time: the pure added latency
            for (int round = 0; round < 2; round++) {
                for (Target target : targets.subList(0, 2)) {
                    closedLoop(target, 1, Duration.ofSeconds(5));
                }
            }
            return;
        }
        if (only.equals("pool")) { // a pool of three upstreams against one (docs/SCALE.md)
            pool(upstream, targets);
            return;
        }
        if (only.equals("relay")) { // the relay designs side by side (docs/BENCHMARKS.md, "Where the time goes")
            relayPrototype(upstream, targets);
            return;
        }
        if (only.equals("user")) { // one user's serial requests only
            warmUp(targets);
            oneUserPhases(targets);
            return;
        }
        if (only.equals("fixed")) { // the tail at a fixed rate (GC comparisons: BENCH_PROXY_JAVA_OPTS)
            closedLoop(targets.get(1), 16, Duration.ofSeconds(40)); // until the JIT has finished
            long capacity = closedLoop(targets.get(1), 64, Duration.ofSeconds(8)).path("requests_per_second").asLong();
            int rate = (int) Math.max(50, Math.min(1000, capacity / 2 / 50 * 50));
            System.out.println("fixed rate: " + rate + " requests/s (half the measured maximum)");
            fixedRate(targets.get(1), rate, Duration.ofSeconds(20));
            return;
        }
        if (only.equals("maxrps")) { // for profiling: a long closed loop on the proxy
            closedLoop(targets.get(1), 64, Duration.ofSeconds(40));
            return;
        }
        warmUp(targets);

        oneUserPhases(targets);
        System.out.println("== non-streaming: maximum requests/s (64 concurrent clients)");
        ObjectNode max = results.putObject("non_streaming_max_rps");
        long slowest = Long.MAX_VALUE;
        for (Target target : targets) {
            ObjectNode column = closedLoop(target, 64, Duration.ofSeconds(8));
            max.set(target.name(), column);
            slowest = Math.min(slowest, column.path("requests_per_second").asLong());
        }
        // Latency is compared at a rate every column can sustain: half the slowest one's capacity on this machine
        // (at most 1,000/s), so that no column is measured saturated.
        int rate = (int) Math.max(50, Math.min(1000, slowest / 2 / 50 * 50));
        System.out.println("== non-streaming: latency at " + rate + " requests/s (half the slowest column's maximum)");
        ObjectNode fixed = results.putObject("non_streaming_fixed_rate");
        fixed.put("requests_per_second", rate);
        for (Target target : targets) {
            fixed.set(target.name(), fixedRate(target, rate, Duration.ofSeconds(10)));
        }
        System.out.println("== non-streaming, Claude Code-sized requests (~90 KB system prompt), 16 clients");
        ObjectNode large = results.putObject("non_streaming_large_requests");
        for (Target target : targets) {
            large.set(target.name(), closedLoop(target, 16, Duration.ofSeconds(8), LARGE_SYSTEM));
        }
        System.out.println("== streaming: 500 chunks, 1 ms apart");
        ObjectNode streaming = results.putObject("streaming_500_chunks");
        for (Target target : targets) {
            streaming.set(target.name(), streams(target, 20, 500, 1000));
        }
        System.out.println("== open streams");
        ObjectNode open = results.putObject("open_streams");
        for (int n : new int[] {1000, 9000}) {
            open.set(Integer.toString(n), openStreams(targets.get(1), n));
        }
        if (peer != null) {
            ((ObjectNode) open.get("1000")).set("peer", openStreams(peer, 1000).path("proxy"));
        }
        results.putObject("machine").put("cores", Runtime.getRuntime().availableProcessors())
                .put("memory", memTotal()).put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version())
                .put("date", Instant.now().toString());
        Path out = Path.of("bench", "results", "latest.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        String table = BenchReport.markdown(results);
        System.out.println(table);
        BenchReport.writeInto(Path.of("docs", "BENCHMARKS.md"), table);
    }

    /**
     * The proxy with a pool of three upstream stand-ins against the same proxy with one: the proxy's CPU per request
     * at the maximum rate, and one user's added latency. All processes share the machine's cores, so the CPU figure,
     * read from the proxy's own process, is the one to compare.
     */
    private void pool(String upstream, List<Target> targets) throws Exception {
        List<String> hosts = new ArrayList<>(List.of("--upstream", upstream));
        List<Target> standIns = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int port = freePort();
            Process standIn = start(List.of(java(), "-cp", jar + ":" + classes, StandIn.class.getName(),
                    Integer.toString(port)), Map.of(), "stand-in-" + i);
            waitFor(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(20));
            hosts.addAll(List.of("--upstream", "http://127.0.0.1:" + port));
            standIns.add(new Target("direct", URI.create("http://127.0.0.1:" + port + "/api/chat"), true,
                    standIn.pid()));
        }
        warmUp(standIns); // every stand-in as warm as the first: whichever one a conversation lands on
        int port = freePort();
        Process pooled = startProxy(upstream, port, hosts);
        waitFor(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(30));
        List<Target> columns = List.of(targets.get(0), targets.get(1), new Target("pool",
                URI.create("http://127.0.0.1:" + port + "/v1/messages"), false, pooled.pid()));
        warmUp(columns);
        ObjectNode pool = results.putObject("pool");
        for (int round = 1; round <= 3; round++) { // the first round still finishes the JIT's work
            System.out.println("== maximum requests/s (64 clients), round " + round);
            for (Target target : columns.subList(1, 3)) {
                pool.set(target.name() + "_max_rps_" + round, closedLoop(target, 64, Duration.ofSeconds(8)));
            }
        }
        System.out.println("== one user, streamed, kept connection, 10-200 ms gaps");
        pool.set("one_user", oneUser(columns, true, false, 300));
        Path out = Path.of("bench", "results", "pool.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    }

    private void relayPrototype(String upstream, List<Target> targets) throws Exception {
        int port = freePort();
        Process relay = start(List.of(java(), "-cp", jar + ":" + classes, RelayPrototype.class.getName(),
                Integer.toString(port), upstream + "/api/chat"), Map.of(), "relay");
        waitFor(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(20));
        List<Target> relays = new ArrayList<>(List.of(targets.get(0)));
        for (String path : List.of("const", "jdk", "socket")) {
            relays.add(new Target("relay-" + path, URI.create("http://127.0.0.1:" + port + "/" + path), true,
                    relay.pid()));
        }
        relays.add(new Target("relay-bare-jetty", URI.create("http://127.0.0.1:" + (port + 1) + "/socket"), true,
                relay.pid()));
        relays.add(new Target("relay-pipe", URI.create("http://127.0.0.1:" + (port + 2) + "/api/chat"), true,
                relay.pid()));
        relays.add(targets.get(1));
        warmUp(relays);
        System.out.println("== relay designs, per-chunk latency (as in the full run: 20 streams of 500 chunks, 1 ms apart)");
        for (Target target : relays) {
            if (!target.name().equals("relay-const")) {
                streams(target, 20, 500, 1000);
            }
        }
        for (int run = 1; run <= 3; run++) { // 200 rounds each: seven columns must fit bench/run's ten minutes
            System.out.println("== relay designs, one user, streamed, kept connection, 10-200 ms gaps, run " + run);
            oneUser(relays, true, false, 200);
        }
    }

    private void warmUp(List<Target> targets) throws Exception {
        System.out.println("== warm-up");
        for (Target target : targets) {
            // Long enough for the JIT compilers (the JVM's and Node's) to finish with the request path: a proxy serves
            // for hours, and a measurement taken while C2 is still compiling reports the compiler, not the proxy.
            closedLoop(target, 16, Duration.ofSeconds(target.name().equals("direct") ? 5 : 15));
            for (int i = 0; i < 3; i++) {
                stream(target, 100, 0);
            }
        }
    }

    private void oneUserPhases(List<Target> targets) throws Exception {
        System.out.println("== one user, streamed requests on a kept connection, 10-200 ms apart");
        results.set("one_user_streamed_kept", oneUser(targets, true, false, 300));
        System.out.println("== one user, non-streamed requests on a kept connection, 10-200 ms apart");
        results.set("one_user_whole_kept", oneUser(targets, false, false, 300));
        System.out.println("== one user, streamed requests, each on a fresh connection");
        results.set("one_user_streamed_fresh", oneUser(targets, true, true, 300));
    }

    // ---- start-up -------------------------------------------------------------------------------------------

    /**
     * The first launch after a build records the start-up cache (and writes it when stopped); later launches use it.
     * Both are reported: the first is what a user sees once, the median of the later ones every other time.
     */
    private void startup(String upstream) throws Exception {
        long first = launchToFirstRequest(upstream)[0];
        long[] millis = new long[3];
        long rss = 0;
        for (int i = 0; i < millis.length; i++) {
            long[] sample = launchToFirstRequest(upstream);
            millis[i] = sample[0];
            rss = sample[1];
        }
        Arrays.sort(millis);
        results.putObject("startup").put("first_launch_after_build_ms", first)
                .put("first_request_ms_median", millis[1]).put("first_request_ms_min", millis[0])
                .put("idle_rss_mib", rss / 1024);
        System.out.printf("start-up: %d ms (median of 3; %d ms for the first launch after the build), idle RSS %d MiB%n",
                millis[1], first, rss / 1024);
    }

    /** Milliseconds from launch to the first answered request, and the resident memory two seconds later (KiB). */
    private long[] launchToFirstRequest(String upstream) throws Exception {
        int port = freePort();
        long begin = System.nanoTime();
        Process proxy = startProxy(upstream, port);
        waitFor(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(30));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        Thread.sleep(2000);
        long rss = rssKb(proxy.pid());
        proxy.destroy();
        proxy.waitFor(30, TimeUnit.SECONDS); // the first launch writes the start-up cache on its way out
        processes.remove(proxy);
        return new long[] {millis, rss};
    }

    /**
     * Through the launcher users run, with its JVM settings; for experiments, BENCH_PROXY_JAVA_OPTS becomes JAVA_OPTS
     * and BENCH_PROXY_ARGS is added to the command line.
     */
    private Process startProxy(String upstream, int port) throws IOException {
        return startProxy(upstream, port, List.of());
    }

    private Process startProxy(String upstream, int port, List<String> more) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(more);
        command.addAll(List.of("--port", Integer.toString(port), "--ollama-url", upstream,
                "--default-model", "bench", "--log-level", "warn", "--state-dir",
                Files.createTempDirectory("bench-state").toString()));
        String extra = System.getenv().getOrDefault("BENCH_PROXY_ARGS", "").trim(); // for experiments
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        return start(command, Map.of("JAVA_OPTS", System.getenv().getOrDefault("BENCH_PROXY_JAVA_OPTS", "")), "proxy");
    }

    // ---- the peer: claude-code-router ---------------------------------------------------------------------------

    private Target startPeer(String upstream) throws Exception {
        if (peerDir == null || !Files.exists(peerDir.resolve("node_modules/@musistudio/claude-code-router/dist/cli.js"))) {
            System.out.println("peer not installed: skipped");
            return null;
        }
        int port = freePort();
        Path home = Files.createTempDirectory("bench-ccr-home");
        Files.createDirectories(home.resolve(".claude-code-router"));
        Files.writeString(home.resolve(".claude-code-router/config.json"), """
                {"HOST":"127.0.0.1","PORT":%d,"APIKEY":"test-key","LOG":false,"NON_INTERACTIVE_MODE":true,
                 "Providers":[{"name":"up","api_base_url":"%s/v1/chat/completions","api_key":"x","models":["bench"]}],
                 "Router":{"default":"up,bench"}}""".formatted(port, upstream));
        Process process = start(List.of("node", peerDir.resolve("node_modules/@musistudio/claude-code-router/dist/cli.js")
                .toString(), "start"), Map.of("HOME", home.toString()), "claude-code-router");
        waitFor(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(60));
        long pid = process.descendants().map(ProcessHandle::pid).findFirst().orElse(process.pid());
        return new Target("peer", URI.create("http://127.0.0.1:" + port + "/v1/messages"), false, pid);
    }

    // ---- request shapes -----------------------------------------------------------------------------------------

    /**
     * A system prompt the size of Claude Code's (95 KB, 16,801 o200k tokens; synthetic, the same in every request, as
     * Claude Code resends its prompt with every request).
     */
    private static final String LARGE_SYSTEM = "You are a careful coding assistant. Follow the user's instructions. "
            .repeat(1400);

    private HttpRequest request(Target target, boolean stream, int chunks, int delayMicros) {
        return request(target, stream, chunks, delayMicros, null);
    }

    private HttpRequest request(Target target, boolean stream, int chunks, int delayMicros, String system) {
        return HttpRequest.newBuilder(target.messagesUrl()).header("Content-Type", "application/json")
                .header("x-api-key", "test-key").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body(target, stream, chunks, delayMicros, system))).build();
    }

    private static String body(Target target, boolean stream, int chunks, int delayMicros, String system) {
        String prompt = "chunks=" + chunks + " delay_us=" + delayMicros;
        String userMessage = "{\"role\":\"user\",\"content\":\"" + prompt + "\"}";
        String body = target.ollamaNative()
                ? "{\"model\":\"bench\",\"stream\":" + stream + ",\"messages\":["
                        + (system == null ? "" : "{\"role\":\"system\",\"content\":\"" + system + "\"},")
                        + userMessage + "]}"
                : "{\"model\":\"bench\",\"max_tokens\":1024,\"stream\":" + stream
                        + (system == null ? "" : ",\"system\":\"" + system + "\"")
                        + ",\"messages\":[" + userMessage + "]}";
        return body;
    }

    // ---- one user ------------------------------------------------------------------------------------------------

    /** Idle gaps between one user's requests: a person reading, a tool running, Claude Code thinking. */
    private static final int[] GAPS_MS = {10, 25, 50, 100, 200};

    /**
     * One user's requests, one at a time: each target on its own connection (kept, or a fresh one per request), the
     * targets taking turns within each round so that the machine's mood of the moment falls on all of them alike.
     * Reports total time and time to first token per target, and what each adds to the direct upstream.
     */
    private ObjectNode oneUser(List<Target> targets, boolean stream, boolean fresh, int rounds) throws Exception {
        List<RawClient> clients = targets.stream().map(t -> new RawClient(t.messagesUrl())).toList();
        long[][] totals = new long[targets.size()][rounds];
        long[][] firsts = new long[targets.size()][rounds];
        int failures = 0;
        for (int round = 0; round < rounds; round++) {
            Thread.sleep(fresh ? 10 : GAPS_MS[round % GAPS_MS.length]);
            for (int k = 0; k < targets.size(); k++) {
                int t = (round + k) % targets.size(); // each target goes first as often as the others
                RawClient.Timing timing;
                try {
                    timing = clients.get(t).post(body(targets.get(t), stream, 10, 0, null), fresh);
                } catch (IOException e) {
                    clients.get(t).close();
                    timing = new RawClient.Timing(0, -1, -1);
                }
                failures += timing.status() == 200 && timing.firstTokenNanos() >= 0 ? 0 : 1;
                totals[t][round] = timing.totalNanos();
                firsts[t][round] = timing.firstTokenNanos();
            }
        }
        for (RawClient client : clients) {
            client.close();
        }
        ObjectNode result = MAPPER.createObjectNode().put("requests_per_target", rounds).put("failures", failures);
        ObjectNode direct = null;
        for (int t = 0; t < targets.size(); t++) {
            ObjectNode column = result.putObject(targets.get(t).name());
            column.set("total", percentiles(totals[t]));
            column.set("first_token", percentiles(firsts[t]));
            if (direct == null) {
                direct = column;
            } else {
                column.put("added_p50_ms", round3(column.path("total").path("p50_ms").asDouble()
                        - direct.path("total").path("p50_ms").asDouble()));
                column.put("added_p99_ms", round3(column.path("total").path("p99_ms").asDouble()
                        - direct.path("total").path("p99_ms").asDouble()));
                column.put("added_first_token_p50_ms", round3(column.path("first_token").path("p50_ms").asDouble()
                        - direct.path("first_token").path("p50_ms").asDouble()));
            }
            System.out.printf("%-7s total p50 %.3f ms  p99 %.3f ms   first token p50 %.3f ms  p99 %.3f ms%n",
                    targets.get(t).name(), column.path("total").path("p50_ms").asDouble(),
                    column.path("total").path("p99_ms").asDouble(), column.path("first_token").path("p50_ms").asDouble(),
                    column.path("first_token").path("p99_ms").asDouble());
        }
        return result;
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    // ---- non-streaming ------------------------------------------------------------------------------------------

    private ObjectNode fixedRate(Target target, int perSecond, Duration duration) throws Exception {
        int total = (int) (perSecond * duration.toSeconds());
        long[] latencies = new long[total];
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        long periodNanos = 1_000_000_000L / perSecond;
        ticker.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return;
            }
            Thread.startVirtualThread(() -> {
                long begin = System.nanoTime();
                try {
                    HttpResponse<byte[]> response = http.send(request(target, false, 1, 0),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
                latencies[i] = System.nanoTime() - begin;
                done.countDown();
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        boolean finished = done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        ticker.shutdownNow();
        ObjectNode result = percentiles(latencies).put("requests", total).put("failures", failures.get())
                .put("completed", finished);
        System.out.printf("%-7s p50 %.3f ms  p99 %.3f ms  failures %d%n", target.name(),
                result.get("p50_ms").asDouble(), result.get("p99_ms").asDouble(), failures.get());
        return result;
    }

    private ObjectNode closedLoop(Target target, int clients, Duration duration) throws Exception {
        return closedLoop(target, clients, duration, null);
    }

    private ObjectNode closedLoop(Target target, int clients, Duration duration, String system) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long cpuBefore = cpuMicros(target.pid());
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Thread.startVirtualThread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<byte[]> response = http.send(request(target, false, 1, 0, system),
                                HttpResponse.BodyHandlers.ofByteArray());
                        (response.statusCode() == 200 ? ok : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double rps = ok.get() / (double) duration.toSeconds();
        double cpuPerRequest = (cpuMicros(target.pid()) - cpuBefore) / (double) Math.max(1, ok.get());
        System.out.printf("%-7s %.0f requests/s (failures %d), %.1f µs of server CPU per request%n", target.name(), rps,
                failed.get(), cpuPerRequest);
        return MAPPER.createObjectNode().put("requests_per_second", Math.round(rps)).put("failures", failed.get())
                .put("clients", clients).put("server_cpu_us_per_request", Math.round(cpuPerRequest * 10) / 10.0);
    }

    // ---- streaming ------------------------------------------------------------------------------------------------

    /** Time to first token and per-chunk delivery latency, over several sequential streams. */
    private ObjectNode streams(Target target, int count, int chunks, int delayMicros) throws Exception {
        List<Long> ttft = new ArrayList<>();
        List<Long> perChunk = new ArrayList<>();
        int incomplete = 0;
        for (int i = 0; i < count; i++) {
            StreamSample sample = stream(target, chunks, delayMicros);
            ttft.add(sample.ttftNanos);
            perChunk.addAll(sample.chunkLatencies);
            if (sample.chunkLatencies.size() != chunks) {
                incomplete++;
            }
        }
        ObjectNode result = MAPPER.createObjectNode();
        result.set("time_to_first_token", percentiles(ttft.stream().mapToLong(Long::longValue).toArray()));
        result.set("per_chunk_latency", percentiles(perChunk.stream().mapToLong(Long::longValue).toArray()));
        result.put("streams", count).put("chunks_per_stream", chunks).put("incomplete_streams", incomplete);
        System.out.printf("%-7s TTFT p50 %.3f ms  per-chunk p50 %.1f µs  p99 %.1f µs  (incomplete %d)%n", target.name(),
                result.path("time_to_first_token").path("p50_ms").asDouble(),
                result.path("per_chunk_latency").path("p50_ms").asDouble() * 1000,
                result.path("per_chunk_latency").path("p99_ms").asDouble() * 1000, incomplete);
        return result;
    }

    record StreamSample(long ttftNanos, List<Long> chunkLatencies) {}

    private StreamSample stream(Target target, int chunks, int delayMicros) throws Exception {
        long begin = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request(target, true, chunks, delayMicros),
                HttpResponse.BodyHandlers.ofInputStream());
        long ttft = -1;
        List<Long> latencies = new ArrayList<>(chunks);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Matcher stamp = STAMP.matcher(line);
                while (stamp.find()) {
                    Instant now = Instant.now();
                    long arrived = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                    if (ttft < 0) {
                        ttft = System.nanoTime() - begin;
                    }
                    latencies.add(arrived - Long.parseLong(stamp.group(1)));
                }
            }
        }
        return new StreamSample(ttft, latencies);
    }

    /** Opens n streams that stay open, waits until each has delivered its first chunk, then reads the RSS. */
    private ObjectNode openStreams(Target target, int n) throws Exception {
        long before = rssKb(target.pid());
        ConcurrentLinkedQueue<InputStream> open = new ConcurrentLinkedQueue<>();
        CountDownLatch firstChunks = new CountDownLatch(n);
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        long begin = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i % 100 == 99) {
                Thread.sleep(30); // about 3,000 new streams a second: held at once, not all opened in one burst
            }
            Thread.startVirtualThread(() -> {
                try {
                    HttpResponse<InputStream> response = http.send(request(target, true, 2, 60_000_000),
                            HttpResponse.BodyHandlers.ofInputStream());
                    InputStream body = response.body();
                    open.add(body);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (STAMP.matcher(line).find()) {
                            firstChunks.countDown();
                            break;
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, e.toString());
                    firstChunks.countDown();
                }
            });
        }
        boolean all = firstChunks.await(120, TimeUnit.SECONDS);
        long openedMillis = (System.nanoTime() - begin) / 1_000_000;
        Thread.sleep(3000);
        long during = rssKb(target.pid());
        for (InputStream body : open) {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is the point
            }
        }
        Thread.sleep(3000);
        ObjectNode result = MAPPER.createObjectNode();
        result.putObject("proxy").put("streams", n).put("failures", failures.get()).put("all_open", all)
                .put("open_after_ms", openedMillis).put("rss_before_mib", before / 1024)
                .put("rss_with_streams_mib", during / 1024)
                .put("kib_per_stream", n == 0 ? 0 : Math.max(0, during - before) / n)
                .put("first_failure", firstFailure.get());
        System.out.printf("%-7s %d streams open (failures %d) in %d ms: RSS %d -> %d MiB%n", target.name(), n,
                failures.get(), openedMillis, before / 1024, during / 1024);
        return result;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static ObjectNode percentiles(long[] nanos) {
        long[] sorted = Arrays.stream(nanos).filter(n -> n >= 0).sorted().toArray(); // failed requests: -1
        ObjectNode result = MAPPER.createObjectNode();
        if (sorted.length == 0) {
            return result.put("samples", 0);
        }
        return result.put("samples", sorted.length)
                .put("p50_ms", sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6)
                .put("p99_ms", sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6)
                .put("max_ms", sorted[sorted.length - 1] / 1e6);
    }

    private Process start(List<String> command, Map<String, String> env, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("bench-" + name, ".log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void waitFor(URI url, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            try {
                http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException(url + " did not answer within " + timeout);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    /** User plus system CPU time the process has used so far ({@code /proc/<pid>/stat}, fields 14 and 15). */
    private static long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1_000_000 / CLOCK_TICKS_PER_SECOND;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return 100; // Linux's USER_HZ nearly everywhere
        }
    }

    private static String memTotal() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).getFirst().replaceAll("\\s+", " ");
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
