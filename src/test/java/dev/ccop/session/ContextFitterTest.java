package dev.ccop.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccop.core.AppliedEdit;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ContextEdits;
import dev.ccop.core.Conversation;
import dev.ccop.core.Json;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.Sampling;
import dev.ccop.core.Thinking;
import dev.ccop.core.TokenCounter;
import dev.ccop.core.ToolChoice;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Anthropic's context-editing rules and the proxy's own fitting, on conversations built here. */
class ContextFitterTest {
    private final TokenCounter tokens = new TokenCounter();
    private final ContextFitter fitter = new ContextFitter(tokens);

    /** A user prompt, then {@code uses} tool round trips of about {@code resultTokens} each (tools a, b, a, b, …). */
    private static ChatRequest conversation(int uses, int resultTokens, ContextEdits edits) {
        List<Message> messages = new ArrayList<>();
        messages.add(new Message(Role.USER, List.of(new Block.Text("Please look at the logs."))));
        for (int i = 0; i < uses; i++) {
            String id = "toolu_" + i;
            messages.add(new Message(Role.ASSISTANT, List.of(new Block.Reasoning("thinking " + i, "sig"),
                    new Block.ToolUse(id, i % 2 == 0 ? "a" : "b", Json.MAPPER.createObjectNode().put("n", i)))));
            messages.add(new Message(Role.USER, List.of(new Block.ToolResult(id,
                    List.of(new Block.Text(("line " + i + " of the log\n").repeat(resultTokens / 6))), false))));
        }
        return new ChatRequest("m", List.of(new Block.Text("You are helpful.")), messages, List.of(), ToolChoice.AUTO,
                new Sampling(1_000, null, null, null, List.of(), null), Thinking.UNSPECIFIED, null, true,
                new Conversation("s", edits));
    }

    private static Set<String> clearedResults(ChatRequest request) {
        Set<String> cleared = new HashSet<>();
        for (Message message : request.messages()) {
            for (Block block : message.content()) {
                if (block instanceof Block.ToolResult r && Block.joinText(r.content()).contains("cleared by the proxy")) {
                    cleared.add(r.toolUseId());
                }
            }
        }
        return cleared;
    }

    private ContextFitter.Fitted fit(ChatRequest request, int window, SessionState state) {
        return fitter.fit(request, window, tokens.count(request), state);
    }

    @Test
    void clearToolUsesPastItsTriggerKeepsTheLatestAndExcludedToolsAndReportsWhatItCleared() {
        ContextEdits edits = new ContextEdits(new ContextEdits.ClearToolUses(1_000, 2, 0, List.of("b"), false, null), null);
        ChatRequest request = conversation(6, 500, edits);

        ContextFitter.Fitted fitted = fit(request, 100_000, new SessionState());

        // uses 0..5; the latest 2 (4, 5) are kept; b's (1, 3) are excluded: 0 and 2 are cleared.
        assertThat(clearedResults(fitted.request())).containsExactlyInAnyOrder("toolu_0", "toolu_2");
        assertThat(fitted.applied()).singleElement().satisfies(edit -> {
            assertThat(edit.type()).isEqualTo(AppliedEdit.CLEAR_TOOL_USES);
            assertThat(edit.clearedCount()).isEqualTo(2);
            assertThat(edit.clearedInputTokens()).isGreaterThan(800);
        });
        assertThat(fitted.promptTokens()).isLessThan(tokens.count(request));
    }

    @Test
    void belowTheTriggerOrShortOfClearAtLeastNothingIsCleared() {
        ContextEdits notYet = new ContextEdits(new ContextEdits.ClearToolUses(100_000, 1, 0, List.of(), false, null), null);
        ContextFitter.Fitted below = fit(conversation(6, 500, notYet), 200_000, new SessionState());
        assertThat(clearedResults(below.request())).isEmpty();
        assertThat(below.applied()).singleElement().satisfies(e -> assertThat(e.clearedCount()).isZero());

        ContextEdits tooLittle = new ContextEdits(new ContextEdits.ClearToolUses(1_000, 1, 50_000, List.of(), false, null), null);
        assertThat(clearedResults(fit(conversation(6, 500, tooLittle), 200_000, new SessionState()).request())).isEmpty();
    }

    @Test
    void clearToolInputsAndClearThinkingKeepTheLatestTurns() {
        ContextEdits edits = new ContextEdits(new ContextEdits.ClearToolUses(1_000, 1, 0, List.of(), true, List.of("a")),
                new ContextEdits.ClearThinking(1));
        ChatRequest fitted = fit(conversation(4, 500, edits), 100_000, new SessionState()).request();

        long thinking = fitted.messages().stream().flatMap(m -> m.content().stream())
                .filter(Block.Reasoning.class::isInstance).count();
        assertThat(thinking).as("only the latest assistant turn keeps its thinking").isEqualTo(1);
        List<String> inputs = fitted.messages().stream().flatMap(m -> m.content().stream())
                .filter(Block.ToolUse.class::isInstance).map(b -> ((Block.ToolUse) b).input().toString()).toList();
        assertThat(inputs.get(0)).contains("cleared_by_proxy"); // a, cleared
        assertThat(inputs.get(1)).isEqualTo("{\"n\":1}"); // b: not named in clear_tool_inputs
        assertThat(inputs.get(3)).isEqualTo("{\"n\":3}"); // the kept latest use
    }

    @Test
    void automaticFittingClearsOldestFirstNeverSplitsPairsAndRepeatsItsDecisions() {
        SessionState state = new SessionState();
        ChatRequest request = conversation(20, 1_000, null);

        ContextFitter.Fitted first = fit(request, 16_384, state);

        assertThat(first.promptTokens()).isLessThanOrEqualTo(16_384 - 1_000);
        Set<String> cleared = clearedResults(first.request());
        assertThat(cleared).contains("toolu_0").doesNotContain("toolu_19");
        // Every tool result still follows its call: the ids pair up in order.
        List<String> uses = new ArrayList<>();
        List<String> results = new ArrayList<>();
        for (Message m : first.request().messages()) {
            for (Block b : m.content()) {
                if (b instanceof Block.ToolUse u) {
                    uses.add(u.id());
                } else if (b instanceof Block.ToolResult r) {
                    results.add(r.toolUseId());
                }
            }
        }
        assertThat(results).isEqualTo(uses);

        // The next request appends one round trip: the same edits, the earlier prompt a prefix of the new one.
        ChatRequest next = conversation(21, 1_000, null);
        ContextFitter.Fitted second = fit(next, 16_384, state);
        assertThat(clearedResults(second.request())).isEqualTo(cleared);
        assertThat(second.request().messages().subList(0, first.request().messages().size()))
                .isEqualTo(first.request().messages());
    }

    @Test
    void aTurnThatCannotFitIsRefusedInTheWordsClaudeCodeCompactsOn() {
        ChatRequest huge = new ChatRequest("m", List.of(), List.of(new Message(Role.USER,
                List.of(new Block.Text("word ".repeat(20_000))))), List.of(), ToolChoice.AUTO,
                new Sampling(100, null, null, null, List.of(), null), Thinking.UNSPECIFIED, null, true, null);
        assertThatThrownBy(() -> fit(huge, 8_192, new SessionState())).isInstanceOf(ProxyError.class)
                .hasMessageMatching("prompt is too long: \\d+ tokens > 8192 maximum");
    }
}
