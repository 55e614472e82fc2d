package dev.ccop.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.anthropic.AnthropicRequestDecoder;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.ollama.OllamaRequestDecoder;
import dev.ccop.openai.OpenAiRequestDecoder;
import dev.ccop.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * 10,000 malformed requests per front, made by mutating real ones (Claude Code's captured requests, and requests of
 * the OpenAI and Ollama shapes): fields dropped, values of the wrong type, odd numbers and strings, nesting. Each
 * decoder must accept the body or refuse it with a {@link ProxyError} of status 4xx that names what is wrong; any
 * other exception is a defect. Seeded, so a failure names the seed and the body that caused it.
 */
class RequestFuzzTest {
    private static final int PER_FRONT = 10_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static List<JsonNode> seeds(String... bodies) {
        List<JsonNode> seeds = new ArrayList<>();
        for (String body : bodies) {
            try {
                seeds.add(Json.MAPPER.readTree(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return seeds;
    }

    private static void fuzz(String front, List<JsonNode> seeds, Consumer<JsonNode> decode) {
        Random random = new Random(front.hashCode());
        int accepted = 0;
        for (int i = 0; i < PER_FRONT; i++) {
            JsonNode body = seeds.get(random.nextInt(seeds.size())).deepCopy();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                body = mutate(body, random, 0);
            }
            try {
                decode.accept(body);
                accepted++;
            } catch (ProxyError e) {
                assertThat(e.status()).as("%s request %d: %s", front, i, body).isBetween(400, 499);
                assertThat(e.getMessage()).as("%s request %d", front, i).isNotBlank().doesNotContain("Exception");
            } catch (RuntimeException e) {
                throw new AssertionError(front + " request " + i + " threw " + e + " for " + Json.write(body), e);
            }
        }
        assertThat(accepted).as("some mutations stay valid, so the decoders are exercised past their checks")
                .isPositive();
    }

    /** One change somewhere in the tree: a node replaced, removed, duplicated or wrapped. */
    private static JsonNode mutate(JsonNode node, Random random, int depth) {
        if (node.isContainerNode() && node.size() > 0 && random.nextInt(3) > 0 && depth < 12) {
            if (node instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                switch (random.nextInt(6)) {
                    case 0 -> object.remove(name);
                    default -> object.set(name, mutate(object.get(name), random, depth + 1));
                }
            } else if (node instanceof ArrayNode array) {
                int index = random.nextInt(array.size());
                switch (random.nextInt(6)) {
                    case 0 -> array.remove(index);
                    case 1 -> array.add(array.get(index).deepCopy());
                    default -> array.set(index, mutate(array.get(index), random, depth + 1));
                }
            }
            return node;
        }
        return switch (random.nextInt(10)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.booleanNode(random.nextBoolean());
            case 2 -> JSON.numberNode(List.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE).get(random.nextInt(5)));
            case 3 -> JSON.numberNode(List.of(0.5, -1e300, 1e300, Double.MIN_VALUE).get(random.nextInt(4)));
            case 4 -> JSON.textNode(List.of("", " ", "x", "\u0000", "💥", "{\"a\":", "[]", "null").get(random.nextInt(8)));
            case 5 -> JSON.arrayNode().add(node);
            case 6 -> JSON.objectNode().set("type", node);
            case 7 -> JSON.arrayNode();
            case 8 -> JSON.objectNode();
            default -> JSON.textNode("x".repeat(random.nextInt(5_000)));
        };
    }

    @Test
    void anthropicRequests() {
        List<JsonNode> seeds = new ArrayList<>();
        for (String fixture : Fixtures.claudeCodeRequests()) {
            if (!fixture.startsWith("count-tokens")) {
                seeds.add(Fixtures.claudeCode(fixture));
            }
        }
        AnthropicRequestDecoder decoder = new AnthropicRequestDecoder();
        fuzz("anthropic", seeds, decoder::decodeMessages);
    }

    @Test
    void openAiRequests() {
        OpenAiRequestDecoder decoder = new OpenAiRequestDecoder();
        fuzz("openai", seeds("""
                {"model":"m","stream":true,"stream_options":{"include_usage":true},"temperature":0.2,"stop":["x"],
                 "messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"},
                 {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f",
                 "arguments":"{\\"a\\":1}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
                 "tool_choice":{"type":"function","function":{"name":"f"}},"response_format":{"type":"json_object"},
                 "reasoning_effort":"low","user":"u"}
                """), decoder::decode);
    }

    @Test
    void ollamaRequests() {
        OllamaRequestDecoder decoder = new OllamaRequestDecoder();
        List<JsonNode> chat = seeds("""
                {"model":"m","stream":false,"think":true,"format":"json","keep_alive":"5m",
                 "options":{"num_ctx":4096,"temperature":0.1,"stop":["x"],"num_predict":10},
                 "messages":[{"role":"system","content":"s"},{"role":"user","content":"hi","images":["iVBORw0KGgo="]},
                 {"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},
                 {"role":"tool","content":"ok","tool_name":"f"}],
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}
                """);
        fuzz("ollama chat", chat, decoder::decodeChat);
        fuzz("ollama generate", seeds("""
                {"model":"m","prompt":"hi","system":"s","images":["iVBORw0KGgo="],"stream":true,"raw":false,
                 "options":{"temperature":0.5},"format":{"type":"object"}}
                """), decoder::decodeGenerate);
    }
}
