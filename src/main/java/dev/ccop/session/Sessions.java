package dev.ccop.session;

import dev.ccop.core.Block;
import dev.ccop.core.ChatRequest;
import dev.ccop.core.ContextManager;
import dev.ccop.core.Message;
import dev.ccop.core.Role;
import dev.ccop.core.TokenCounter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long memory of conversations: each request of a session is recorded in the {@link SessionStore}, fitted to the
 * model's window by the {@link ContextFitter} with the decisions the session already holds, and, when the conversation
 * has lost detail to fitting or to the client's own compaction, given back the stored passages its new turn needs
 * ({@link Recall}), in the latest turn so that the cached prefix stays put.
 *
 * <p>Without a store ({@code --no-sessions}) or a session id, requests are still fitted, with decisions kept in memory
 * for the conversation (keyed by its first message), and nothing is stored or recalled.
 */
public final class Sessions implements ContextManager {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final int STATES_IN_MEMORY = 1_000;
    static final int MAX_RECALL_TOKENS = 1_200;
    static final String RECALL_OPEN = "<recalled-context>";

    private final TokenCounter tokens;
    private final ContextFitter fitter;
    private final SessionStore store;
    private final Recall recall = new Recall();
    private final java.util.concurrent.atomic.LongAdder recalledPassages = new java.util.concurrent.atomic.LongAdder();
    private final LongSupplier clock;
    private static final int TIMINGS = 4_096;
    private final java.util.ArrayDeque<Long> timings = new java.util.ArrayDeque<>();
    private final Map<String, Live> live = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
            return size() > STATES_IN_MEMORY;
        }
    };

    /** A conversation the proxy has seen lately: its decisions, and which of its blocks are already stored. */
    private static final class Live {
        final SessionState state;
        final Set<String> recorded = new HashSet<>();
        boolean recordedLoaded;

        Live(SessionState state) {
            this.state = state;
        }
    }

    /** {@code store} null: nothing is stored or recalled ({@code --no-sessions}). */
    public Sessions(TokenCounter tokens, SessionStore store, LongSupplier clock) {
        this.tokens = tokens;
        this.fitter = new ContextFitter(tokens);
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Prepared prepare(ChatRequest request, int window, int clientTokens) {
        // Wall time, not CPU: requests run on virtual threads, which have no CPU clock of their own. It includes the
        // store's writes, so it bounds the CPU cost from above.
        long started = System.nanoTime();
        try {
            return prepareTimed(request, window, clientTokens);
        } finally {
            synchronized (timings) {
                timings.addLast(System.nanoTime() - started);
                if (timings.size() > TIMINGS) {
                    timings.removeFirst();
                }
            }
        }
    }

    /** Passages recalled into requests since the start. */
    public long recalledPassages() {
        return recalledPassages.sum();
    }

    /** How long recent {@link #prepare} calls took (storing, fitting, recall), in nanoseconds, oldest first. */
    public List<Long> prepareNanos() {
        synchronized (timings) {
            return List.copyOf(timings);
        }
    }

    private Prepared prepareTimed(ChatRequest request, int window, int clientTokens) {
        String sessionId = store == null ? null : request.conversation().sessionId();
        if (sessionId == null && request.conversation().edits() == null
                && clientTokens <= window - ContextFitter.outputReserve(request, window)
                && !knownConversation(request)) {
            // A stateless request that fits and was never edited: nothing to decide, nothing to lock.
            return new Prepared(request, clientTokens, null);
        }
        Live conversation = conversation(request, sessionId);
        synchronized (conversation) {
            SessionState state = conversation.state;
            String before = sessionId == null ? null : state.toJson(); // only a stored session's state is saved
            List<SessionStore.StoredBlock> blocks = sessionId == null ? List.of() : blocks(request);
            if (sessionId != null) {
                record(sessionId, conversation, blocks);
            }
            ContextFitter.Fitted fitted = fitter.fit(request, window, clientTokens, state);
            if (sessionId != null && recallWanted(request, blocks.size(), state, conversation)) {
                String recalled = recalled(sessionId, request, fitted.request(), window);
                if (recalled != null) {
                    state.recalls.put(Keys.message(request.messages().getLast()), recalled);
                    fitted = fitter.fit(request, window, clientTokens, state);
                }
            }
            if (sessionId != null) {
                String after = state.toJson();
                if (!after.equals(before)) {
                    store.saveState(sessionId, after);
                }
            }
            return new Prepared(fitted.request(), fitted.promptTokens(), fitted.applied());
        }
    }

    private boolean knownConversation(ChatRequest request) {
        synchronized (live) {
            return live.containsKey(conversationKey(request, null));
        }
    }

    private static String conversationKey(ChatRequest request, String sessionId) {
        return sessionId != null ? "session:" + sessionId
                : request.conversation().sessionId() != null ? "client:" + request.conversation().sessionId()
                : "conversation:" + Keys.message(request.messages().getFirst());
    }

    private Live conversation(ChatRequest request, String sessionId) {
        String key = conversationKey(request, sessionId);
        synchronized (live) {
            return live.computeIfAbsent(key, k -> new Live(sessionId == null ? new SessionState()
                    : SessionState.fromJson(store.state(sessionId))));
        }
    }

    /** Stores the blocks of this request that the session does not hold yet. */
    private void record(String sessionId, Live conversation, List<SessionStore.StoredBlock> blocks) {
        if (!conversation.recordedLoaded) {
            store.blocks(sessionId).forEach(b -> conversation.recorded.add(b.hash()));
            conversation.recordedLoaded = true;
        }
        List<SessionStore.StoredBlock> fresh = new ArrayList<>();
        for (SessionStore.StoredBlock block : blocks) {
            if (conversation.recorded.add(block.hash())) {
                fresh.add(block);
            }
        }
        store.record(sessionId, fresh, clock.getAsLong());
        recall.add(sessionId, fresh);
    }

    /** The conversation's blocks as stored: text, tool calls (name and input), tool results, thinking. */
    private List<SessionStore.StoredBlock> blocks(ChatRequest request) {
        Map<String, String> toolNames = new HashMap<>();
        List<SessionStore.StoredBlock> blocks = new ArrayList<>();
        List<Message> messages = request.messages();
        for (int turn = 0; turn < messages.size(); turn++) {
            Message message = messages.get(turn);
            String role = message.role().name().toLowerCase(java.util.Locale.ROOT);
            for (Block block : message.content()) {
                String kind;
                String tool = null;
                String text;
                switch (block) {
                    case Block.Text t -> {
                        kind = "text";
                        text = t.text();
                    }
                    case Block.ToolUse u -> {
                        toolNames.put(u.id(), u.name());
                        kind = "tool_use";
                        tool = u.name();
                        text = u.name() + " " + u.input();
                    }
                    case Block.ToolResult r -> {
                        kind = "tool_result";
                        tool = toolNames.getOrDefault(r.toolUseId(), "tool");
                        text = Block.joinText(r.content());
                    }
                    case Block.Reasoning r -> {
                        kind = "thinking";
                        text = r.text();
                    }
                    default -> {
                        continue;
                    }
                }
                if (!text.isBlank() && !text.startsWith(RECALL_OPEN)) {
                    blocks.add(new SessionStore.StoredBlock(Keys.of(kind + '\u0000' + tool + '\u0000' + text), kind,
                            tool, text, tokens.count(text), turn, role));
                }
            }
        }
        return blocks;
    }

    /**
     * Recall serves a new turn of the user's (text, not only tool results), once per turn, when the conversation has
     * lost something: the proxy cleared part of it, or the session holds blocks the request no longer has (the client
     * compacted, or the proxy restarted and the client sent a summary).
     */
    private boolean recallWanted(ChatRequest request, int requestBlocks, SessionState state, Live conversation) {
        Message last = request.messages().getLast();
        if (last.role() != Role.USER || last.content().stream().noneMatch(b -> b instanceof Block.Text t
                && !t.text().isBlank()) || state.recalls.containsKey(Keys.message(last))) {
            return false;
        }
        return state.clearedAnything() || conversation.recorded.size() > requestBlocks;
    }

    /** The recall block for the latest turn, or null when nothing stored fits the question. */
    private String recalled(String sessionId, ChatRequest original, ChatRequest fitted, int window) {
        Set<String> visible = new HashSet<>();
        blocks(fitted).forEach(b -> visible.add(b.hash()));
        List<Recall.Passage> passages = recall.search(sessionId, query(original), visible, 8,
                () -> store.blocks(sessionId));
        int budget = Math.min(MAX_RECALL_TOKENS, window / 24);
        StringBuilder text = new StringBuilder(RECALL_OPEN).append("\nThe proxy recalled these passages from earlier"
                + " in this session; they were cleared from the conversation to fit the model's context window. Use"
                + " them if they help with the request above.\n");
        int used = tokens.count(text.toString());
        int count = 0;
        for (Recall.Passage passage : passages) {
            String entry = "[" + (count + 1) + "] " + describe(passage) + ":\n" + passage.text().strip() + "\n";
            int size = tokens.count(entry);
            if (used + size > budget) {
                continue;
            }
            text.append(entry);
            used += size;
            count++;
        }
        if (count == 0) {
            return null;
        }
        recalledPassages.add(count);
        LOG.debug("session {}: recalled {} passages ({} tokens)", sessionId, count, used);
        return text.append("</recalled-context>").toString();
    }

    private static String describe(Recall.Passage passage) {
        return switch (passage.kind()) {
            case "tool_result" -> passage.tool() + " result";
            case "tool_use" -> passage.tool() + " call";
            case "thinking" -> "earlier reasoning";
            default -> "earlier message";
        };
    }

    /** The words of the new turn, and of the tool calls just made (the files and commands in play). */
    private static String query(ChatRequest request) {
        List<Message> messages = request.messages();
        StringBuilder query = new StringBuilder(Block.joinText(messages.getLast().content()));
        if (messages.size() > 1 && messages.get(messages.size() - 2).role() == Role.ASSISTANT) {
            for (Block block : messages.get(messages.size() - 2).content()) {
                if (block instanceof Block.ToolUse use) {
                    query.append(' ').append(use.input());
                }
            }
        }
        return query.toString();
    }

    /** Forgets what is kept in memory about a session (after it was deleted from the store). */
    public void forget(String sessionId) {
        synchronized (live) {
            live.remove("session:" + sessionId);
        }
        recall.forget(sessionId);
    }
}
