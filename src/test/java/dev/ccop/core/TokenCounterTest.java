package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccop.anthropic.AnthropicRequestDecoder;
import dev.ccop.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private final TokenCounter counter = new TokenCounter();

    @Test
    void countsWithTheO200kTokenizerNotCharactersOverFour() {
        // o200k_base: "Hello" "," " world" "!" are four tokens; chars/4 would say 3.
        assertThat(counter.count("Hello, world!")).isEqualTo(4);
        assertThat(counter.count("")).isZero();
    }

    @Test
    void requestCountsSystemMessagesToolsAndTemplateOverhead() {
        ChatRequest request = new ChatRequest("m", List.of(new Block.Text("Be brief.")),
                List.of(new Message(Role.USER, List.of(new Block.Text("Hello, world!")))), List.of(),
                ToolChoice.AUTO, new Sampling(null, null, null, null, null, null), Thinking.UNSPECIFIED, null, false, null);

        int expected = counter.count("Be brief.") + TokenCounter.PER_MESSAGE_OVERHEAD
                + counter.count("Hello, world!") + TokenCounter.PER_MESSAGE_OVERHEAD;
        assertThat(counter.count(request)).isEqualTo(expected);
    }

    @Test
    void aToolDefinitionCountsItsNameDescriptionAndSchema() {
        AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();
        ChatRequest without = decoder.decodeCountTokens(Fixtures.claudeCode("count-tokens-request.json"));
        ChatRequest with = decoder.decodeCountTokens(Fixtures.claudeCode("count-tokens-request-with-tool.json"));
        Tool tool = with.tools().getFirst();

        int toolTokens = counter.count(tool.name()) + counter.count(tool.description())
                + counter.count(tool.inputSchema().toString());
        assertThat(counter.count(with) - counter.count(without)).isEqualTo(toolTokens);
    }
}
