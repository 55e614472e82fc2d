package dev.ccop.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every tool call that reaches the client whole and valid, for requests that offer tools:
 * <ul>
 *   <li>tool calls the model wrote as text ({@link TextToolCalls} lists the forms) become real calls; text is held back
 *       only while it could still be the start of one, so the markup never reaches the client;</li>
 *   <li>every call's arguments are checked against the tool's schema, and obvious slips are mended
 *       ({@link ToolArguments});</li>
 *   <li>a call that names no offered tool or stays invalid is not delivered as a call: the client gets a short text
 *       saying what the model tried, and the stop reason is no longer {@code tool_use} unless another call was
 *       delivered.</li>
 * </ul>
 */
public final class ToolCallRepairStream implements ChatStream {
    private static final String TAG_OPEN = "<tool_call>";
    private static final String TAG_CLOSE = "</tool_call>";
    private static final String FUNCTION_OPEN = "<function=";
    private static final String FUNCTION_CLOSE = "</function>";
    private static final String FENCE = "```";
    private static final List<String> MARKERS = List.of(TAG_OPEN, FUNCTION_OPEN, FENCE);
    private static final List<String> CALL_FENCE_LANGUAGES = List.of("", "json", "tool_call", "tool_code");

    private enum Kind { TAG, FUNCTION, FENCE, BARE_JSON }

    private record Candidate(int start, Kind kind, boolean partial) {}

    private final ChatStream inner;
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final ToolArguments arguments;
    private final RepairStats stats;
    private final ArrayDeque<ChatEvent> out = new ArrayDeque<>();
    private final StringBuilder pending = new StringBuilder();
    /** Visible text has been sent: from then on a JSON object in the text is prose, not a call. */
    private boolean textSent;
    /** Inside a ``` block that is not a call: its text passes through until the block closes. */
    private boolean inOtherFence;
    private boolean callDelivered;
    private boolean ended;

    public ToolCallRepairStream(ChatStream inner, List<Tool> offered, ToolArguments arguments, RepairStats stats) {
        this.inner = inner;
        offered.forEach(tool -> tools.put(tool.name(), tool));
        this.arguments = arguments;
        this.stats = stats;
    }

    @Override
    public ChatEvent next() {
        while (out.isEmpty() && !ended) {
            ChatEvent event = inner.next();
            switch (event) {
                case null -> {
                    drain(true);
                    ended = true;
                }
                case ChatEvent.TextDelta text -> {
                    pending.append(text.text());
                    drain(false);
                }
                case ChatEvent.ReasoningDelta reasoning -> {
                    drain(true);
                    out.add(reasoning);
                }
                case ChatEvent.ReasoningSignature signature -> out.add(signature);
                case ChatEvent.ToolCall call -> {
                    drain(true);
                    out.add(checked(call.id(), call.name(), call.input()));
                }
                case ChatEvent.Finished finished -> {
                    drain(true);
                    out.add(new ChatEvent.Finished(stopReason(finished.stopReason()), finished.usage()));
                    ended = true;
                }
                case ChatEvent.Failed failed -> {
                    emitText(pending.length());
                    out.add(failed);
                    ended = true;
                }
            }
        }
        return out.poll();
    }

    /**
     * What is decided, or an arrived event while no text is held back (held-back text may have to wait for more
     * before anything comes out).
     */
    @Override
    public boolean hasBuffered() {
        return !out.isEmpty() || (pending.length() == 0 && !ended && inner.hasBuffered());
    }

    @Override
    public void close() {
        inner.close();
    }

    /** Sends what can no longer be part of a call; with {@code end}, decides everything still held. */
    private void drain(boolean end) {
        while (!pending.isEmpty()) {
            if (inOtherFence) {
                int close = pending.indexOf(FENCE);
                if (close < 0) {
                    emitText(pending.length() - (end ? 0 : partialMarkerAtEnd(List.of(FENCE))));
                    return;
                }
                emitText(close + FENCE.length());
                inOtherFence = false;
                continue;
            }
            Candidate candidate = firstCandidate(end);
            if (candidate == null) {
                emitText(pending.length());
                return;
            }
            emitText(candidate.start());
            if (candidate.partial() || !consume(candidate.kind(), end)) {
                return;
            }
        }
    }

    private Candidate firstCandidate(boolean end) {
        Candidate best = null;
        for (String marker : MARKERS) {
            int at = pending.indexOf(marker);
            if (at >= 0 && (best == null || at < best.start())) {
                best = new Candidate(at, marker.equals(TAG_OPEN) ? Kind.TAG
                        : marker.equals(FUNCTION_OPEN) ? Kind.FUNCTION : Kind.FENCE, false);
            }
        }
        if (!textSent) {
            int brace = firstNonBlank();
            if (brace >= 0 && pending.charAt(brace) == '{' && (best == null || brace < best.start())) {
                best = new Candidate(brace, Kind.BARE_JSON, false);
            }
        }
        if (best == null && !end) {
            int partial = partialMarkerAtEnd(MARKERS);
            if (partial > 0) {
                best = new Candidate(pending.length() - partial, null, true);
            }
        }
        return best;
    }

    /**
     * Handles the candidate at the start of {@code pending}: a call, or text after all. Returns false when it cannot
     * be decided before more text arrives.
     */
    private boolean consume(Kind kind, boolean end) {
        return switch (kind) {
            case TAG -> {
                int close = pending.indexOf(TAG_CLOSE);
                if (close < 0 && !end) {
                    yield false;
                }
                int bodyEnd = close < 0 ? pending.length() : close;
                String body = pending.substring(TAG_OPEN.length(), bodyEnd).strip();
                List<TextToolCalls.Call> calls = body.startsWith(FUNCTION_OPEN)
                        ? functionCalls(body) : TextToolCalls.fromJson(body, tools.keySet());
                yield settle(calls, close < 0 ? pending.length() : close + TAG_CLOSE.length());
            }
            case FUNCTION -> {
                int close = pending.indexOf(FUNCTION_CLOSE);
                if (close < 0 && !end) {
                    yield false;
                }
                int consumed = close < 0 ? pending.length() : close + FUNCTION_CLOSE.length();
                yield settle(functionCalls(pending.substring(0, consumed)), consumed);
            }
            case FENCE -> {
                int newline = pending.indexOf("\n", FENCE.length());
                if (newline < 0) {
                    if (end) {
                        emitText(pending.length());
                    }
                    yield end;
                }
                String language = pending.substring(FENCE.length(), newline).strip().toLowerCase();
                if (!CALL_FENCE_LANGUAGES.contains(language)) {
                    emitText(newline + 1);
                    inOtherFence = true;
                    yield true;
                }
                int close = pending.indexOf(FENCE, newline + 1);
                if (close < 0 && !end) {
                    yield false;
                }
                String body = pending.substring(newline + 1, close < 0 ? pending.length() : close);
                yield settle(TextToolCalls.fromJson(body, tools.keySet()),
                        close < 0 ? pending.length() : close + FENCE.length());
            }
            case BARE_JSON -> {
                int close = TextToolCalls.endOfJson(pending, 0);
                if (close < 0 && !end) {
                    yield false;
                }
                int consumed = close < 0 ? pending.length() : close;
                yield settle(TextToolCalls.fromJson(pending.substring(0, consumed), tools.keySet()), consumed);
            }
        };
    }

    /** {@code <function=Name>body</function>}, with or without the closing tag. */
    private List<TextToolCalls.Call> functionCalls(String text) {
        int nameEnd = text.indexOf('>');
        if (nameEnd < 0) {
            return List.of();
        }
        String name = text.substring(FUNCTION_OPEN.length(), nameEnd).strip();
        int close = text.indexOf(FUNCTION_CLOSE);
        String body = text.substring(nameEnd + 1, close < 0 ? text.length() : close);
        return TextToolCalls.fromFunctionTag(name, body, tools.keySet());
    }

    /** The first {@code length} characters were calls (delivered) or, if none were found, text. */
    private boolean settle(List<TextToolCalls.Call> calls, int length) {
        if (calls.isEmpty()) {
            emitText(length);
            return true;
        }
        pending.delete(0, length);
        for (TextToolCalls.Call call : calls) {
            ChatEvent event = checked(Ids.toolUseId(), call.name(), call.arguments());
            if (event instanceof ChatEvent.ToolCall) {
                stats.textToolCalls.incrementAndGet();
            }
            out.add(event);
        }
        return true;
    }

    private ChatEvent checked(String id, String name, ObjectNode input) {
        Tool tool = tools.get(name);
        if (tool == null) {
            return withheld(name, input, "the request offered no tool of that name");
        }
        return switch (arguments.check(tool, input)) {
            case ToolArguments.Outcome.Valid valid -> {
                if (valid.coerced()) {
                    stats.coercedArguments.incrementAndGet();
                }
                callDelivered = true;
                yield new ChatEvent.ToolCall(id, name, valid.input());
            }
            case ToolArguments.Outcome.Invalid invalid -> withheld(name, input, invalid.problems());
        };
    }

    private ChatEvent withheld(String name, ObjectNode input, String problem) {
        stats.invalidToolCalls.incrementAndGet();
        textSent = true;
        return new ChatEvent.TextDelta("\n\n[Tool call not delivered: the model called `" + name + "` with "
                + input + ", which is invalid: " + problem + "]\n");
    }

    private StopReason stopReason(StopReason upstream) {
        if (callDelivered) {
            return StopReason.TOOL_USE;
        }
        return upstream == StopReason.TOOL_USE ? StopReason.END_TURN : upstream;
    }

    private void emitText(int length) {
        if (length <= 0) {
            return;
        }
        String text = pending.substring(0, length);
        pending.delete(0, length);
        if (!text.isBlank()) {
            textSent = true;
        }
        out.add(new ChatEvent.TextDelta(text));
    }

    private int firstNonBlank() {
        for (int i = 0; i < pending.length(); i++) {
            if (!Character.isWhitespace(pending.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** How many characters at the end of {@code pending} could be the start of one of the markers. */
    private int partialMarkerAtEnd(List<String> markers) {
        int longest = 0;
        for (String marker : markers) {
            for (int k = Math.min(marker.length() - 1, pending.length()); k > longest; k--) {
                if (pending.substring(pending.length() - k).equals(marker.substring(0, k))) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }
}
