package dev.ccop.bench;

import dev.ccop.testing.LongSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The long-session figures of docs/SESSIONS.md: the scripted 48-turn Claude Code-shaped session against the fake
 * Ollama with its window and KV cache simulated, with an unbounded window (the reference: what was new) and on a 32K
 * window with sessions; then the time the proxy takes for storing, fitting and recall per request once the client's
 * conversation is past 100K tokens. Run by bench/sessions/run; loopback only, bounded, stops by itself.
 */
public final class SessionsBench {
    public static void main(String[] args) throws Exception {
        Path state = Files.createTempDirectory("ccop-sessions-bench");
        LongSession.Report reference = run(1_000_000, false, LongSession.SMALL_MODEL, 0, 0, state.resolve("a"));
        LongSession.Report fitted = run(32_768, true, null, 0, 0, state.resolve("b"));
        LongSession.Report restarted = run(32_768, true, null, 38, 0, state.resolve("c"));
        LongSession.Report summarised = run(32_768, true, null, 38, 39, state.resolve("d"));

        System.out.println("reference (unbounded window): " + LongSession.describe(reference));
        System.out.println("32K window, sessions on:      " + LongSession.describe(fitted));
        System.out.println("  restart before the questions: " + LongSession.describe(restarted));
        System.out.println("  restart and a summary:        " + LongSession.describe(summarised));
        System.out.printf("re-evaluated / new tokens: %.2f%n", fitted.evaluated() / (double) reference.evaluated());
        List<Long> late = new ArrayList<>();
        for (int i = 0; i < Math.min(fitted.clientTokens().size(), fitted.prepareNanos().size()); i++) {
            if (fitted.clientTokens().get(i) >= 100_000) {
                late.add(fitted.prepareNanos().get(i));
            }
        }
        late.sort(null);
        if (!late.isEmpty()) {
            System.out.printf("time in storing, fitting and recall (wall time), %d requests past 100K tokens: p50 %.1f ms,"
                    + " p90 %.1f ms, max %.1f ms%n", late.size(), late.get(late.size() / 2) / 1e6,
                    late.get(late.size() * 9 / 10) / 1e6, late.getLast() / 1e6);
        }
    }

    private static LongSession.Report run(int window, boolean sessions, String small, int restart, int summary,
            Path state) throws Exception {
        return new LongSession(new LongSession.Options(48, 10, window, sessions, small, restart, summary, state)).run();
    }
}
