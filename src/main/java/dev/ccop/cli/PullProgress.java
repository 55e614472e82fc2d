package dev.ccop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shows an Ollama pull's progress lines. On a terminal, one line redrawn in place: the stage, a bar, bytes of all
 * layers seen so far, the rate over the last seconds and the time left. Elsewhere (a log, CI), plain lines: each new
 * stage, and every tenth of a layer.
 */
final class PullProgress implements Consumer<JsonNode> {
    private static final int BAR = 24;
    private static final long RATE_WINDOW_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final Map<String, long[]> layers = new LinkedHashMap<>(); // digest -> {total, completed}
    private String lastStatus = "";
    private int lastTenth = -1;
    private long windowStart = -1;
    private long windowBytes;
    private double rate; // bytes per second

    PullProgress(PrintWriter out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public void accept(JsonNode line) {
        String status = line.path("status").asText("");
        if (line.has("digest") && line.path("total").asLong(0) > 0) {
            layer(status, line.path("digest").asText(), line.path("total").asLong(), line.path("completed").asLong(0));
            return;
        }
        if (terminal && !lastStatus.isEmpty() && layers.containsKey(lastStatus)) {
            out.println();
        }
        if (!status.equals(lastStatus)) {
            out.println(status);
        }
        lastStatus = status;
        out.flush();
    }

    private void layer(String status, String digest, long total, long completed) {
        long[] layer = layers.computeIfAbsent(digest, d -> new long[2]);
        long before = layers.values().stream().mapToLong(l -> l[1]).sum();
        layer[0] = total;
        layer[1] = Math.min(completed, total);
        long done = layers.values().stream().mapToLong(l -> l[1]).sum();
        long size = layers.values().stream().mapToLong(l -> l[0]).sum();
        measureRate(done - before);
        if (terminal) {
            int filled = (int) (BAR * done / Math.max(1, size));
            out.print("\r" + status + " [" + "#".repeat(filled) + " ".repeat(BAR - filled) + "] "
                    + bytes(done) + " / " + bytes(size) + rateAndEta(size - done) + "   ");
            lastStatus = digest;
        } else {
            int tenth = (int) (10 * layer[1] / Math.max(1, total));
            if (!status.equals(lastStatus) || tenth != lastTenth) {
                out.println(status + ": " + (tenth * 10) + "% of " + bytes(total) + rateAndEta(size - done));
            }
            lastStatus = status;
            lastTenth = tenth;
        }
        out.flush();
    }

    private void measureRate(long newBytes) {
        long now = clock.getAsLong();
        if (windowStart < 0) {
            windowStart = now;
        }
        windowBytes += Math.max(0, newBytes);
        long elapsed = now - windowStart;
        if (elapsed >= 1_000_000_000L) {
            double current = windowBytes * 1e9 / elapsed;
            rate = rate == 0 ? current : 0.5 * rate + 0.5 * current;
            if (elapsed >= RATE_WINDOW_NANOS) {
                windowStart = now;
                windowBytes = 0;
            }
        }
    }

    private String rateAndEta(long remaining) {
        if (rate <= 0) {
            return "";
        }
        long seconds = (long) Math.ceil(remaining / rate);
        return ", " + bytes((long) rate) + "/s, " + (seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s"
                : seconds + " s") + " left";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    }
}
