package dev.ccop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How Ollama treats a prompt's size and its KV cache, for {@link FakeOllama}, as Ollama's own code does it:
 * <ul>
 *   <li>{@code num_ctx}: {@code /api/chat} renders the messages and, when they do not fit the window, silently leaves
 *       out the oldest ones — system messages and the latest message are always kept (server/prompt.go,
 *       {@code chatPrompt}: it walks back from the latest message and stops at the first that no longer fits).</li>
 *   <li>KV cache: a loaded model keeps the tokens of its last prompt in its slot; a new prompt reuses the longest
 *       common prefix and evaluates only the rest (runner: the cache's input-prefix reuse). With the default of one
 *       parallel request per model, every request to the model, a background one too, replaces the slot.</li>
 *   <li>Counts: {@code prompt_eval_count} is the whole prompt, cached part included, and
 *       {@code prompt_eval_cached_count} the part read from the cache (api/types.go {@code Metrics};
 *       llm/llama_server.go adds the cache's hits to the evaluated count).</li>
 * </ul>
 * Tokens are counted with o200k_base, one message at a time (template markers approximated by the role name).
 */
public final class OllamaContextModel {
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    /** What one request cost: whole prompt, cached part, and how many messages the window cut off. */
    public record Evaluation(int promptTokens, int cachedTokens, int droppedMessages) {
        public int evaluated() {
            return promptTokens - cachedTokens;
        }
    }

    private final Map<String, int[]> slots = new ConcurrentHashMap<>();
    private final Map<String, int[]> encoded = new ConcurrentHashMap<>();
    private final List<Evaluation> evaluations = new ArrayList<>();

    /** Applies the window and the model's cache to one {@code /api/chat} body. */
    public synchronized Evaluation evaluate(JsonNode request) {
        String model = request.path("model").asText();
        int numCtx = request.path("options").path("num_ctx").asInt(2048);
        List<int[]> messages = new ArrayList<>();
        List<Boolean> system = new ArrayList<>();
        int tools = request.has("tools") ? encode("tools:" + request.get("tools")).length : 0;
        for (JsonNode message : request.path("messages")) {
            messages.add(encode(message.path("role").asText() + ":" + message.path("content").asText()
                    + message.path("thinking").asText("") + message.path("tool_calls").toString()
                    + message.path("tool_call_id").asText("")));
            system.add("system".equals(message.path("role").asText()));
        }
        int fixed = tools;
        for (int i = 0; i < messages.size(); i++) {
            fixed += system.get(i) ? messages.get(i).length : 0;
        }
        // As chatPrompt: from the latest message back, keep what fits; the latest is kept whatever its size.
        int first = messages.size() - 1;
        int size = fixed + (system.get(first) ? 0 : messages.get(first).length);
        while (first > 0) {
            int previous = system.get(first - 1) ? 0 : messages.get(first - 1).length;
            if (size + previous > numCtx) {
                break;
            }
            size += previous;
            first--;
        }
        int dropped = 0;
        IntArrayList prompt = new IntArrayList();
        addAll(prompt, encode("tools:" + request.path("tools")));
        for (int i = 0; i < messages.size(); i++) {
            if (system.get(i) || i >= first) {
                addAll(prompt, messages.get(i));
            } else {
                dropped++;
            }
        }
        int[] tokens = prompt.toArray();
        int[] slot = slots.getOrDefault(model, new int[0]);
        int cached = 0;
        while (cached < Math.min(slot.length, tokens.length) && slot[cached] == tokens[cached]) {
            cached++;
        }
        slots.put(model, tokens);
        Evaluation evaluation = new Evaluation(tokens.length, cached, dropped);
        evaluations.add(evaluation);
        return evaluation;
    }

    public synchronized List<Evaluation> evaluations() {
        return List.copyOf(evaluations);
    }

    private int[] encode(String text) {
        return encoded.computeIfAbsent(text, t -> ENCODING.encodeOrdinary(t).toArray());
    }

    private static void addAll(IntArrayList list, int[] tokens) {
        for (int token : tokens) {
            list.add(token);
        }
    }
}
