package dev.ccop.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract, on the embedded SQLite store; {@link PostgresSessionStoreTest} runs it on PostgreSQL. */
class SessionStoreTest {
    @TempDir
    Path dir;

    /** The store under test; reopening gives the same data. */
    SessionStore open() {
        return SessionStore.open(dir.resolve("s.db"));
    }

    private static SessionStore.StoredBlock block(String text, int turn) {
        return new SessionStore.StoredBlock(Keys.of(text), "text", null, text, text.length() / 4, turn, "user");
    }

    @Test
    void blocksAreStoredOnceByContentAndSessionsShareThem() {
        try (SessionStore store = open()) {
            assertThat(store.schemaVersion()).isEqualTo(1);
            store.record("a", List.of(block("first", 0), block("shared", 1)), 1_000);
            store.record("a", List.of(block("first", 0), block("shared", 1)), 2_000); // the resent history
            store.record("b", List.of(block("shared", 0)), 3_000);

            assertThat(store.blocks("a")).extracting(SessionStore.StoredBlock::text).containsExactly("first", "shared");
            assertThat(store.list()).extracting(SessionStore.SessionSummary::id).containsExactly("b", "a");
            assertThat(store.list().get(1).requests()).isEqualTo(2);
            long bytes = store.storedChars();
            assertThat(bytes).isEqualTo("first".length() + "shared".length());

            assertThat(store.delete("a")).isTrue();
            assertThat(store.blocks("b")).extracting(SessionStore.StoredBlock::text).containsExactly("shared");
            assertThat(store.storedChars()).as("only b's block is left").isEqualTo("shared".length());
            assertThat(store.delete("a")).isFalse();
        }
    }

    @Test
    void stateSurvivesReopeningAndRetentionDeletesOldAndOversizedSessions() {
        try (SessionStore store = open()) {
            store.record("old", List.of(block("x".repeat(100), 0)), 0);
            store.record("big", List.of(block("y".repeat(5_000), 0)), Duration.ofDays(9).toMillis());
            store.record("new", List.of(block("z".repeat(100), 0)), Duration.ofDays(10).toMillis());
            store.saveState("new", "{\"cleared_results\":[\"toolu_1\"]}");
        }
        try (SessionStore store = open()) {
            assertThat(store.state("new")).contains("toolu_1");
            List<String> deleted = store.enforceLimits(Duration.ofDays(5), 1_000, Duration.ofDays(10).toMillis());
            assertThat(deleted).containsExactly("old", "big");
            assertThat(store.list()).extracting(SessionStore.SessionSummary::id).containsExactly("new");
        }
    }
}
