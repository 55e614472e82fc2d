package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.anthropic.AnthropicRequestDecoder;
import dev.ccop.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SessionTitlesTest {

    @Test
    void claudeCodesTitleRequestIsRecognisedAndOtherRequestsAreNot() {
        AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();
        ChatRequest title = decoder.decodeMessages(Fixtures.claudeCode("small-model-request.json"));
        assertThat(SessionTitles.answer(title)).isEqualTo("{\"title\":\"Poem about the sea\"}");
        assertThat(SessionTitles.answer(decoder.decodeMessages(Fixtures.claudeCode("simple-main-request.json")))).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "write a poem about the sea | Poem about the sea",
        "Please fix the flaky test in src/app/LoginTest.java, it fails on CI | Flaky test in src/app/LoginTest.java",
        "why does service-3 crash? | Why does service-3 crash",
        "!!! | New session"})
    void titlesAreTheFirstWordsWithoutRequestVerbs(String session, String title) {
        assertThat(SessionTitles.title(session)).isEqualTo(title);
    }
}
