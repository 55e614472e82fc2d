package dev.ccop.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TruncationWatchTest {
    private final TruncationWatch watch = new TruncationWatch(null, "m", 20_000, 32_768);

    @Test
    void aPromptThatFilledTheWindowOrShrankFarBelowTheEstimateWasTruncated() {
        assertThat(watch.evidentlyTruncated(32_768)).isTrue();
        assertThat(watch.evidentlyTruncated(9_000)).isTrue();
    }

    @Test
    void tokenizerDifferencesAndMissingCountsAreNot() {
        assertThat(watch.evidentlyTruncated(18_500)).isFalse();
        assertThat(watch.evidentlyTruncated(21_800)).isFalse();
        assertThat(watch.evidentlyTruncated(0)).isFalse();
        assertThat(new TruncationWatch(null, "m", 200, 32_768).evidentlyTruncated(40)).isFalse();
    }
}
