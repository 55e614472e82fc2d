package dev.ccop.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code's background request for a session title, answered without a model. Sent to the same single-slot local
 * model as the conversation, it replaced that model's cached prompt, and the next turn of the conversation had to be
 * evaluated from its first token again (docs/SESSIONS.md has the measurement). The title is the session's first
 * words without the request verbs, as Claude Code's own instructions ask: a short noun phrase in sentence case.
 */
final class SessionTitles {
    private static final Pattern SESSION = Pattern.compile("<session>\\s*(.*?)\\s*</session>", Pattern.DOTALL);
    private static final Set<String> SKIPPED = Set.of("please", "can", "could", "you", "would", "i", "want", "to",
            "we", "need", "let's", "lets", "fix", "add", "check", "investigate", "implement", "evaluate", "debug",
            "refactor", "update", "help", "with", "look", "into", "at", "write", "make", "create", "the", "a", "an",
            "me", "us", "some", "for");
    private static final int MAX_WORDS = 5;

    private SessionTitles() {}

    /** The answer's text ({@code {"title":"…"}}) when {@code request} is Claude Code's title request, else null. */
    static String answer(ChatRequest request) {
        if (!request.tools().isEmpty() || request.messages().size() != 1) {
            return null;
        }
        String system = Block.joinText(request.system());
        if (!system.contains("naming a coding session") || !system.contains("\"title\"")) {
            return null;
        }
        Matcher session = SESSION.matcher(Block.joinText(request.messages().getFirst().content()));
        if (!session.find()) {
            return null;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("title", title(session.group(1)));
        return Json.write(answer);
    }

    static String title(String session) {
        // The first clause of the first line: a title names one thing.
        String firstLine = session.strip().lines().findFirst().orElse("").split("[,;:!?]\\s|\\.\\s", 2)[0];
        List<String> words = new ArrayList<>();
        for (String word : firstLine.split("\\s+")) {
            String bare = word.replaceAll("^[\\p{Punct}&&[^./_-]]+|[\\p{Punct}&&[^/_-]]+$", "");
            if (bare.isEmpty() || words.isEmpty() && SKIPPED.contains(bare.toLowerCase(Locale.ROOT))) {
                continue;
            }
            words.add(bare);
            if (words.size() == MAX_WORDS) {
                break;
            }
        }
        if (words.isEmpty()) {
            return "New session";
        }
        String title = String.join(" ", words);
        return Character.toUpperCase(title.charAt(0)) + title.substring(1);
    }
}
