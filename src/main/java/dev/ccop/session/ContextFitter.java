package dev.ccop.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.AppliedEdit;
import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ContextEdits;
import dev.ccop.core.Json;
import dev.ccop.core.Message;
import dev.ccop.core.ProxyError;
import dev.ccop.core.Role;
import dev.ccop.core.TokenCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Edits a conversation so that it fits the model's window, the way Anthropic's context editing does it: old tool
 * results give way to a short stub first, then old tool inputs, then old thinking, then whole early turns. It never
 * touches the system prompt, the tool definitions or the latest turn, and never splits a tool call from its result
 * (a cleared result keeps its id; only its text is replaced).
 *
 * <p>Two kinds of edits: those the client asks for ({@code context_management}, applied to each request as Anthropic
 * applies them), and the proxy's own when a request does not fit. The proxy's own are kept in the conversation's
 * {@link SessionState} and only ever grow, and when it must clear it clears down to a low-water mark well below the
 * window: the turns after that only append, so the local model's KV cache stays valid until the next clearing.
 */
final class ContextFitter {
    /** Tool uses at the end of the conversation whose results are never cleared automatically. */
    static final int KEEP_LATEST_TOOL_USES = 1;
    /** How much of the room left beside the system prompt and tools a clearing leaves in use: a third. */
    static final int LOW_WATER_DIVISOR = 3;

    private final TokenCounter tokens;

    ContextFitter(TokenCounter tokens) {
        this.tokens = tokens;
    }

    record Fitted(ChatRequest request, int promptTokens, List<AppliedEdit> applied) {}

    /** The conversation's tool uses in order, with where their results are and what clearing them saves. */
    private final class Index {
        final List<String> toolUseIds = new ArrayList<>();
        final Map<String, String> toolNames = new HashMap<>();
        final Map<String, Integer> resultSavings = new HashMap<>();
        final Map<String, Integer> inputSavings = new HashMap<>();
        final Set<String> inLatestMessage = new HashSet<>();
        final Map<String, Integer> thinkingSavings = new LinkedHashMap<>();
        final List<String> messageKeys = new ArrayList<>();

        Index(List<Message> messages) {
            for (int i = 0; i < messages.size(); i++) {
                Message message = messages.get(i);
                messageKeys.add(Keys.message(message));
                int thinking = 0;
                for (Block block : message.content()) {
                    switch (block) {
                        case Block.ToolUse use -> {
                            toolUseIds.add(use.id());
                            toolNames.put(use.id(), use.name());
                            inputSavings.put(use.id(), tokens.count(use.input().toString())
                                    - tokens.count(clearedInput(use.input().toString().length()).toString()));
                        }
                        case Block.ToolResult result -> {
                            int size = 0;
                            for (Block part : result.content()) {
                                size += part instanceof Block.Text t ? tokens.count(t.text()) : 0;
                            }
                            resultSavings.put(result.toolUseId(), size - tokens.count(resultStub("x", size)));
                            if (i == messages.size() - 1) {
                                inLatestMessage.add(result.toolUseId());
                            }
                        }
                        case Block.Reasoning r -> thinking += tokens.count(r.text());
                        default -> { }
                    }
                }
                if (thinking > 0 && message.role() == Role.ASSISTANT) {
                    thinkingSavings.put(messageKeys.get(i), thinking);
                }
            }
        }

        String name(String toolUseId) {
            return toolNames.getOrDefault(toolUseId, "tool");
        }
    }

    /**
     * Applies the client's edits and the conversation's own, extends the latter when the request is still too large
     * for {@code window}, and says what was done. Throws {@code prompt is too long} when even that does not fit.
     */
    Fitted fit(ChatRequest request, int window, int clientTokens, SessionState state) {
        Index index = new Index(request.messages());
        ContextEdits edits = request.conversation().edits();
        Set<String> clientCleared = clientClearedResults(index, edits, clientTokens);
        Set<String> clientInputs = new HashSet<>();
        if (edits != null && edits.clearToolUses() != null) {
            clientCleared.stream().filter(id -> edits.clearToolUses().clearsInputOf(index.name(id)))
                    .forEach(clientInputs::add);
        }
        Set<String> clientThinking = clientClearedThinking(index, edits);

        int budget = window - outputReserve(request, window);
        ChatRequest fitted = render(request, index, state, clientCleared, clientInputs, clientThinking);
        int promptTokens = fitted == request ? clientTokens : tokens.count(fitted);
        if (promptTokens > budget) {
            extend(request, index, state, clientCleared, clientInputs, clientThinking, promptTokens, budget);
            fitted = render(request, index, state, clientCleared, clientInputs, clientThinking);
            promptTokens = tokens.count(fitted);
            // The estimates of what clearing saves are close, not exact: if they fell short, drop another turn.
            while (promptTokens > budget && dropNextTurn(request, index, state)) {
                fitted = render(request, index, state, clientCleared, clientInputs, clientThinking);
                promptTokens = tokens.count(fitted);
            }
        }
        if (promptTokens > window) {
            // The exact wording Claude Code recognises: it compacts the conversation and retries (docs/CLAUDE_CODE.md).
            throw ProxyError.invalidRequest("prompt is too long: " + promptTokens + " tokens > " + window + " maximum");
        }
        return new Fitted(fitted, promptTokens, applied(index, state, clientCleared, clientThinking,
                edits, clientTokens - promptTokens));
    }

    /** Room for the answer: what the client allows it, at most a quarter of the window. */
    static int outputReserve(ChatRequest request, int window) {
        Integer max = request.sampling().maxTokens();
        return Math.min(max == null ? 4096 : max, window / 4);
    }

    /** {@code clear_tool_uses}: past the trigger, every result but the latest {@code keep} and excluded tools. */
    private static Set<String> clientClearedResults(Index index, ContextEdits edits, int clientTokens) {
        Set<String> cleared = new HashSet<>();
        if (edits == null || edits.clearToolUses() == null || clientTokens <= edits.clearToolUses().triggerTokens()) {
            return cleared;
        }
        ContextEdits.ClearToolUses rule = edits.clearToolUses();
        List<String> ids = index.toolUseIds;
        int saved = 0;
        for (String id : ids.subList(0, Math.max(0, ids.size() - rule.keepToolUses()))) {
            if (!rule.excludeTools().contains(index.name(id)) && index.resultSavings.containsKey(id)) {
                cleared.add(id);
                saved += index.resultSavings.get(id);
            }
        }
        // As Anthropic's API: a clearing that would not free clear_at_least tokens is not applied at all.
        return saved >= rule.clearAtLeastTokens() ? cleared : new HashSet<>();
    }

    /** {@code clear_thinking}: the thinking of all but the latest {@code keep} assistant turns that have some. */
    private static Set<String> clientClearedThinking(Index index, ContextEdits edits) {
        Set<String> cleared = new HashSet<>();
        if (edits == null || edits.clearThinking() == null || edits.clearThinking().keepTurns() == null) {
            return cleared;
        }
        List<String> turns = new ArrayList<>(index.thinkingSavings.keySet());
        cleared.addAll(turns.subList(0, Math.max(0, turns.size() - edits.clearThinking().keepTurns())));
        return cleared;
    }

    /**
     * The proxy's own clearing, down to the low-water mark, oldest first: recalled passages and tool results (with
     * their calls' inputs) of earlier turns, then the thinking of all but the last assistant turn, then whole early
     * turns. What it decides goes into {@code state}, so later requests repeat it and only append.
     */
    private void extend(ChatRequest request, Index index, SessionState state, Set<String> clientCleared,
            Set<String> clientInputs, Set<String> clientThinking, int size, int budget) {
        int fixed = tokens.count(request.withMessages(List.of()));
        int lowWater = fixed + Math.max(0, budget - fixed) / LOW_WATER_DIVISOR;
        List<String> ids = index.toolUseIds;
        Set<String> kept = new HashSet<>(ids.subList(Math.max(0, ids.size() - KEEP_LATEST_TOOL_USES), ids.size()));
        kept.addAll(index.inLatestMessage);
        int last = request.messages().size() - 1;
        for (int i = firstKept(index, state); i < last && size > lowWater; i++) {
            String recall = state.recalls.remove(index.messageKeys.get(i));
            size -= recall == null ? 0 : tokens.count(recall);
            for (Block block : request.messages().get(i).content()) {
                if (block instanceof Block.ToolResult r && !kept.contains(r.toolUseId())
                        && !clientCleared.contains(r.toolUseId()) && state.clearedResults.add(r.toolUseId())) {
                    size -= index.resultSavings.getOrDefault(r.toolUseId(), 0);
                    if (!clientInputs.contains(r.toolUseId()) && state.clearedInputs.add(r.toolUseId())) {
                        size -= index.inputSavings.getOrDefault(r.toolUseId(), 0);
                    }
                }
            }
        }
        List<String> thinking = new ArrayList<>(index.thinkingSavings.keySet());
        for (String key : thinking.subList(0, Math.max(0, thinking.size() - 1))) {
            if (size > lowWater && !clientThinking.contains(key) && state.clearedThinking.add(key)) {
                size -= index.thinkingSavings.get(key);
            }
        }
        // Dropping turns changes the prompt right after the system prompt, so that all of it is evaluated again: only
        // when clearing left less than half the room to grow into, and then in one large step.
        if (size <= lowWater + (budget - lowWater) / 2) {
            return;
        }
        while (size > lowWater) {
            int from = firstKept(index, state);
            if (!dropNextTurn(request, index, state)) {
                return;
            }
            for (int i = from; i < firstKept(index, state); i++) {
                size -= tokens.count(request.messages().get(i));
            }
        }
    }

    /** The first message still sent: the one the earlier messages were dropped before, else the first. */
    private static int firstKept(Index index, SessionState state) {
        return state.droppedBefore == null ? 0 : Math.max(0, index.messageKeys.indexOf(state.droppedBefore));
    }

    /**
     * Drops the messages before the next user message that opens a turn (text, no tool results: a call is never
     * parted from its result), but never the latest such turn. False when there is none left to drop.
     */
    private static boolean dropNextTurn(ChatRequest request, Index index, SessionState state) {
        List<Message> messages = request.messages();
        List<Integer> turnStarts = new ArrayList<>();
        for (int i = 1; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m.role() == Role.USER && m.content().stream().noneMatch(Block.ToolResult.class::isInstance)) {
                turnStarts.add(i);
            }
        }
        int current = firstKept(index, state);
        for (int start : turnStarts.subList(0, Math.max(0, turnStarts.size() - 1))) {
            if (start > current) {
                state.droppedBefore = index.messageKeys.get(start);
                return true;
            }
        }
        return false;
    }

    /** The request with every decided edit applied; the same request when there is none. */
    private ChatRequest render(ChatRequest request, Index index, SessionState state, Set<String> clientCleared,
            Set<String> clientInputs, Set<String> clientThinking) {
        Set<String> results = union(clientCleared, state.clearedResults);
        Set<String> inputs = union(clientInputs, state.clearedInputs);
        Set<String> thinking = union(clientThinking, state.clearedThinking);
        int first = firstKept(index, state);
        if (results.isEmpty() && inputs.isEmpty() && thinking.isEmpty() && first == 0 && state.recalls.isEmpty()) {
            return request;
        }
        List<Message> out = new ArrayList<>();
        List<Message> messages = request.messages();
        for (int i = first; i < messages.size(); i++) {
            Message message = messages.get(i);
            String key = index.messageKeys.get(i);
            List<Block> content = new ArrayList<>();
            if (i == first && first > 0) {
                content.add(new Block.Text("[The proxy left out the " + first + " earlier messages of this"
                        + " conversation to fit the model's context window; it recalls what they held when needed.]"));
            }
            for (Block block : message.content()) {
                switch (block) {
                    case Block.ToolResult r when results.contains(r.toolUseId()) -> content.add(new Block.ToolResult(
                            r.toolUseId(), List.of(new Block.Text(resultStub(index.name(r.toolUseId()),
                                    index.resultSavings.get(r.toolUseId())))), r.isError()));
                    case Block.ToolUse u when inputs.contains(u.id()) -> content.add(new Block.ToolUse(u.id(), u.name(),
                            clearedInput(u.input().toString().length())));
                    case Block.Reasoning r when thinking.contains(key) -> { }
                    default -> content.add(block);
                }
            }
            String recalled = state.recalls.get(key);
            if (recalled != null && message.role() == Role.USER) {
                content.add(new Block.Text(recalled));
            }
            out.add(new Message(message.role(), content));
        }
        return request.withMessages(out);
    }

    /** What a cleared result reads: the same text for the same result, every time (the prompt prefix stays put). */
    static String resultStub(String tool, int tokensCleared) {
        return "[" + tool + " result cleared by the proxy to fit the model's context window (about " + tokensCleared
                + " tokens). The proxy keeps it and recalls the relevant parts when the conversation needs them.]";
    }

    private static ObjectNode clearedInput(int chars) {
        return Json.MAPPER.createObjectNode().put("cleared_by_proxy",
                "input of " + chars + " characters left out to fit the context window");
    }

    private static List<AppliedEdit> applied(Index index, SessionState state,
            Set<String> clientCleared, Set<String> clientThinking, ContextEdits edits, int savedTokens) {
        int results = 0;
        for (String id : union(clientCleared, state.clearedResults)) {
            results += index.resultSavings.containsKey(id) ? 1 : 0;
        }
        int thinkingTurns = 0;
        for (String key : union(clientThinking, state.clearedThinking)) {
            thinkingTurns += index.thinkingSavings.containsKey(key) ? 1 : 0;
        }
        boolean asked = edits != null;
        if (!asked && results == 0 && thinkingTurns == 0) {
            return null;
        }
        List<AppliedEdit> applied = new ArrayList<>();
        if (results > 0 || asked && edits.clearToolUses() != null) {
            applied.add(new AppliedEdit(AppliedEdit.CLEAR_TOOL_USES, results, Math.max(0, savedTokens)));
        }
        if (thinkingTurns > 0) {
            applied.add(new AppliedEdit(AppliedEdit.CLEAR_THINKING, thinkingTurns, 0));
        }
        return applied;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        if (b.isEmpty()) {
            return a;
        }
        Set<T> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
