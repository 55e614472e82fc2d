package dev.ccop.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.testing.LongSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 48-turn Claude Code-shaped session, well over 100K tokens of history, on a 32K window (docs/SESSIONS.md has the
 * figures). The reference run gives the model an unbounded window and the background requests a model of their own:
 * what it evaluates is exactly what was new in each request.
 */
class LongSessionTest {
    private static final int TURNS = 48;
    private static final int FACTS = 10;

    @TempDir
    Path state;

    private LongSession.Report run(boolean sessions, Integer window, String smallModel, int restartAt, int summaryAt,
            Path stateDir) throws Exception {
        return new LongSession(new LongSession.Options(TURNS, FACTS, window, sessions, smallModel, restartAt,
                summaryAt, stateDir)).run();
    }

    @Test
    void aLongSessionFitsA32kWindowKeepsItsFactsAndTheCacheWarm() throws Exception {
        LongSession.Report reference = run(false, 1_000_000, LongSession.SMALL_MODEL, 0, 0, state.resolve("a"));
        LongSession.Report fitted = run(true, 32_768, null, 0, 0, state.resolve("b"));
        System.out.println("reference: " + LongSession.describe(reference));
        System.out.println("32K window: " + LongSession.describe(fitted));

        assertThat(reference.clientTokensOfLastRequest()).isGreaterThan(100_000);
        assertThat(fitted.errors()).isZero();
        assertThat(fitted.truncated()).as("requests Ollama would have cut").isZero();
        assertThat(fitted.correct()).as("facts answered").isGreaterThanOrEqualTo(9);
        assertThat((double) fitted.evaluated()).as("tokens evaluated against what was new")
                .isLessThanOrEqualTo(1.5 * reference.evaluated());
    }

    @Test
    void factsAreRecalledAfterARestartAndAfterTheClientReplacedItsHistoryWithASummary() throws Exception {
        LongSession.Report restarted = run(true, 32_768, null, TURNS - FACTS, 0, state.resolve("c"));
        LongSession.Report summarised = run(true, 32_768, null, TURNS - FACTS, TURNS - FACTS + 1, state.resolve("d"));
        System.out.println("restart: " + LongSession.describe(restarted));
        System.out.println("restart + summary: " + LongSession.describe(summarised));

        assertThat(restarted.errors() + summarised.errors()).isZero();
        assertThat(restarted.correct()).isGreaterThanOrEqualTo(9);
        assertThat(summarised.correct()).isGreaterThanOrEqualTo(9);
    }
}
