package dev.ccop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The results as a markdown table, each target next to what was measured. */
final class BenchReport {
    static final String START = "<!-- bench:latest:start -->";
    static final String END = "<!-- bench:latest:end -->";

    private BenchReport() {}

    static String markdown(JsonNode r) {
        JsonNode fixed = r.path("non_streaming_fixed_rate");
        long rate = fixed.path("requests_per_second").asLong();
        JsonNode max = r.path("non_streaming_max_rps");
        JsonNode stream = r.path("streaming_500_chunks");
        JsonNode machine = r.path("machine");
        StringBuilder md = new StringBuilder();
        md.append("Command: `bench/run`. Machine: ").append(machine.path("cores").asInt()).append(" cores, ")
                .append(machine.path("memory").asText()).append(", ").append(machine.path("jdk").asText())
                .append(". Date: ").append(machine.path("date").asText()).append(".\n\n");
        md.append("| measure | direct | proxy | peer | proxy − direct | target |\n|---|---:|---:|---:|---:|---|\n");
        oneUser(md, "one user, streamed, kept connection, 10–200 ms gaps", r.path("one_user_streamed_kept"),
                "p50 ≤ +0.3 ms, p99 ≤ +1 ms");
        oneUser(md, "one user, non-streamed, kept connection, 10–200 ms gaps", r.path("one_user_whole_kept"),
                "p50 ≤ +0.3 ms, p99 ≤ +1 ms");
        oneUser(md, "one user, streamed, fresh connection each", r.path("one_user_streamed_fresh"), "p50 ≤ +0.5 ms");
        row(md, "non-streaming p50 at " + rate + " req/s (ms)", fixed, "p50_ms", 3, "");
        row(md, "non-streaming p99 at " + rate + " req/s (ms)", fixed, "p99_ms", 3, "≤ +2 ms (at 1,000/s)");
        md.append("| max non-streaming req/s | ").append(max.path("direct").path("requests_per_second").asLong())
                .append(" | ").append(max.path("proxy").path("requests_per_second").asLong()).append(" | ")
                .append(max.path("peer").path("requests_per_second").asText("–")).append(" | | ≥ 10× peer: ")
                .append(ratio(max.path("proxy").path("requests_per_second").asDouble(),
                        max.path("peer").path("requests_per_second").asDouble())).append(" |\n");
        JsonNode cpu = max.path("peer").path("server_cpu_us_per_request");
        md.append("| server CPU per request at max req/s (µs) | ")
                .append(max.path("direct").path("server_cpu_us_per_request").asText()).append(" | ")
                .append(max.path("proxy").path("server_cpu_us_per_request").asText()).append(" | ")
                .append(cpu.isMissingNode() ? "–" : cpu.asText()).append(" | | ≥ 10× peer: ")
                .append(ratio(cpu.asDouble(), max.path("proxy").path("server_cpu_us_per_request").asDouble()))
                .append(" |\n");
        JsonNode large = r.path("non_streaming_large_requests");
        md.append("| Claude Code-sized requests (90 KB): req/s; server CPU per request (µs) | ")
                .append(rateAndCpu(large.path("direct"))).append(" | ").append(rateAndCpu(large.path("proxy")))
                .append(" | ").append(large.has("peer") ? rateAndCpu(large.path("peer")) : "–").append(" | | |\n");
        rowNested(md, "time to first token p50 (ms)", stream, "time_to_first_token", "p50_ms", 1, "");
        rowNested(md, "per-chunk latency p50 (µs)", stream, "per_chunk_latency", "p50_ms", 1000, "≤ +30 µs");
        rowNested(md, "per-chunk latency p99 (µs)", stream, "per_chunk_latency", "p99_ms", 1000, "");
        r.path("open_streams").fields().forEachRemaining(e -> md.append("| ").append(e.getKey())
                .append(" open streams: RSS MiB (before) | | ").append(e.getValue().path("proxy").path("rss_with_streams_mib").asLong())
                .append(" (").append(e.getValue().path("proxy").path("rss_before_mib").asLong()).append(") | ")
                .append(e.getValue().has("peer") ? e.getValue().path("peer").path("rss_with_streams_mib").asLong() + " ("
                        + e.getValue().path("peer").path("rss_before_mib").asLong() + ")" : "–")
                .append(" | ").append(e.getValue().path("proxy").path("kib_per_stream").asLong()).append(" KiB/stream")
                .append(" | ≤ 32 KiB per stream |\n"));
        md.append("| start-up to first request, median of 3 (ms) | | ")
                .append(r.path("startup").path("first_request_ms_median").asLong()).append(" | | | ≤ 1000 |\n");
        md.append("| start-up, first launch after a build (records the cache) (ms) | | ")
                .append(r.path("startup").path("first_launch_after_build_ms").asLong()).append(" | | | |\n");
        md.append("| idle RSS (MiB) | | ").append(r.path("startup").path("idle_rss_mib").asLong()).append(" | | | |\n");
        return md.toString();
    }

    /** Total time and time to first token, p50 and p99, each column beside the direct upstream. */
    private static void oneUser(StringBuilder md, String name, JsonNode node, String target) {
        rowNested(md, name + ": total p50 (ms)", node, "total", "p50_ms", 1, 3, target);
        rowNested(md, name + ": total p99 (ms)", node, "total", "p99_ms", 1, 3, "");
        rowNested(md, name + ": first token p50 (ms)", node, "first_token", "p50_ms", 1, 3, "");
    }

    private static void row(StringBuilder md, String name, JsonNode node, String field, int digits, String target) {
        double direct = node.path("direct").path(field).asDouble();
        double proxy = node.path("proxy").path(field).asDouble();
        md.append("| ").append(name).append(" | ").append(fmt(direct, digits)).append(" | ").append(fmt(proxy, digits))
                .append(" | ").append(node.has("peer") ? fmt(node.path("peer").path(field).asDouble(), digits) : "–")
                .append(" | ").append(proxy >= direct ? "+" : "").append(fmt(proxy - direct, digits)).append(" | ")
                .append(target).append(" |\n");
    }

    private static void rowNested(StringBuilder md, String name, JsonNode node, String group, String field, double scale,
            String target) {
        rowNested(md, name, node, group, field, scale, 1, target);
    }

    private static void rowNested(StringBuilder md, String name, JsonNode node, String group, String field, double scale,
            int digits, String target) {
        double direct = node.path("direct").path(group).path(field).asDouble() * scale;
        double proxy = node.path("proxy").path(group).path(field).asDouble() * scale;
        md.append("| ").append(name).append(" | ").append(fmt(direct, digits)).append(" | ").append(fmt(proxy, digits))
                .append(" | ").append(node.has("peer") ? fmt(node.path("peer").path(group).path(field).asDouble() * scale,
                        digits) : "–")
                .append(" | ").append(proxy >= direct ? "+" : "").append(fmt(proxy - direct, digits)).append(" | ")
                .append(target).append(" |\n");
    }

    private static String rateAndCpu(JsonNode result) {
        return result.path("requests_per_second").asLong() + "; " + result.path("server_cpu_us_per_request").asText();
    }

    private static String ratio(double ours, double theirs) {
        return theirs <= 0 ? "no peer" : String.format("%.1f×", ours / theirs);
    }

    private static String fmt(double value, int digits) {
        return String.format("%." + digits + "f", value);
    }

    /** Replaces the table between the markers in the document (or appends it with the markers). */
    static void writeInto(Path doc, String table) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        String block = START + "\n" + table + END;
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        text = start >= 0 && end > start
                ? text.substring(0, start) + block + text.substring(end + END.length())
                : text + "\n## Latest run, as written by bench/run\n\n" + block + "\n";
        Files.writeString(doc, text);
    }
}
