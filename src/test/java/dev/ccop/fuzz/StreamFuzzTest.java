package dev.ccop.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.anthropic.AnthropicStreamEncoder;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.Json;
import dev.ccop.core.ProxyError;
import dev.ccop.core.ReasoningOutput;
import dev.ccop.core.StopReason;
import dev.ccop.core.StreamEncoder;
import dev.ccop.core.ThinkingSigner;
import dev.ccop.core.Usage;
import dev.ccop.ollama.OllamaStreamEncoder;
import dev.ccop.openai.OpenAiStreamEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary answers (any order of text, thinking, signatures and tool calls with awkward text, then an end or a
 * failure) through each stream encoder: every frame must parse, and every stream must follow its dialect's grammar to
 * its terminal event. Seeded; a failure names the seed's sequence number.
 */
class StreamFuzzTest {
    private static final int SEQUENCES = 5_000;
    private static final String[] TEXTS = {"", "a", "\"", "\\", "\n", "\r\n", "data: x\n\n", "event: error", "💥", "\u0000",
        "</think>", "{\"a\":1}", "x".repeat(3_000)};

    private static List<ChatEvent> answer(Random random) {
        List<ChatEvent> events = new ArrayList<>();
        int length = random.nextInt(30);
        for (int i = 0; i < length; i++) {
            String text = TEXTS[random.nextInt(TEXTS.length)];
            events.add(switch (random.nextInt(4)) {
                case 0 -> new ChatEvent.TextDelta(text);
                case 1 -> new ChatEvent.ReasoningDelta(text);
                case 2 -> new ChatEvent.ReasoningSignature(text);
                default -> new ChatEvent.ToolCall("call_" + i + text, "tool" + text,
                        Json.MAPPER.createObjectNode().put("arg", text));
            });
        }
        events.add(random.nextBoolean()
                ? new ChatEvent.Finished(StopReason.values()[random.nextInt(StopReason.values().length)],
                        new Usage(random.nextInt(1000), random.nextInt(1000), random.nextInt(10)))
                : new ChatEvent.Failed(new ProxyError(ErrorKind.values()[random.nextInt(ErrorKind.values().length)],
                        500, TEXTS[random.nextInt(TEXTS.length)])));
        return events;
    }

    private static String encode(StreamEncoder encoder, List<ChatEvent> events) {
        StringBuilder out = new StringBuilder(encoder.start());
        events.forEach(e -> out.append(encoder.encode(e)));
        return out.toString();
    }

    @Test
    void anthropicStreamsFollowTheEventGrammar() throws Exception {
        Random random = new Random(1);
        ThinkingSigner signer = new ThinkingSigner(new byte[32]);
        for (int n = 0; n < SEQUENCES; n++) {
            String sse = encode(new AnthropicStreamEncoder("msg_1", "claude-x", 5, "req_1", signer), answer(random));
            List<String[]> frames = new ArrayList<>();
            for (String frame : sse.split("\n\n")) {
                String[] lines = frame.split("\n", -1);
                assertThat(lines).as("sequence %d: %s", n, frame).hasSize(2);
                assertThat(lines[0]).startsWith("event: ");
                assertThat(lines[1]).startsWith("data: ");
                JsonNode data = Json.MAPPER.readTree(lines[1].substring(6));
                assertThat(data.path("type").asText()).isEqualTo(lines[0].substring(7));
                frames.add(new String[] {lines[0].substring(7), lines[1].substring(6)});
            }
            assertThat(frames.getFirst()[0]).isEqualTo("message_start");
            int open = -1;
            int next = 0;
            for (int i = 1; i < frames.size(); i++) {
                String type = frames.get(i)[0];
                JsonNode data = Json.MAPPER.readTree(frames.get(i)[1]);
                switch (type) {
                    case "content_block_start" -> {
                        assertThat(open).as("sequence %d: a block opened inside another", n).isEqualTo(-1);
                        assertThat(data.path("index").asInt()).isEqualTo(next);
                        open = next++;
                    }
                    case "content_block_delta" -> assertThat(data.path("index").asInt()).isEqualTo(open);
                    case "content_block_stop" -> {
                        assertThat(data.path("index").asInt()).isEqualTo(open);
                        open = -1;
                    }
                    case "message_delta" -> {
                        assertThat(open).isEqualTo(-1);
                        assertThat(frames.get(i + 1)[0]).isEqualTo("message_stop");
                        assertThat(i + 2).as("nothing after message_stop").isEqualTo(frames.size());
                        i++;
                    }
                    case "error" -> assertThat(i + 1).as("nothing after error").isEqualTo(frames.size());
                    default -> throw new AssertionError("sequence " + n + ": unexpected event " + type);
                }
            }
            assertThat(frames.getLast()[0]).isIn("message_stop", "error");
        }
    }

    @Test
    void openAiStreamsAreChunksThenDoneEvenAfterAnError() throws Exception {
        Random random = new Random(2);
        for (int n = 0; n < SEQUENCES; n++) {
            ReasoningOutput output = ReasoningOutput.values()[random.nextInt(ReasoningOutput.values().length)];
            String sse = encode(new OpenAiStreamEncoder("c", "m", 1, random.nextBoolean(), output), answer(random));
            String[] frames = sse.split("\n\n");
            assertThat(frames[frames.length - 1]).as("sequence %d", n).isEqualTo("data: [DONE]");
            for (int i = 0; i < frames.length - 1; i++) {
                assertThat(frames[i]).startsWith("data: ");
                JsonNode chunk = Json.MAPPER.readTree(frames[i].substring(6));
                assertThat(chunk.has("choices") || chunk.has("error")).as("sequence %d: %s", n, frames[i]).isTrue();
            }
        }
    }

    @Test
    void ollamaStreamsAreJsonLinesEndingDoneOrWithAnError() throws Exception {
        Random random = new Random(3);
        for (int n = 0; n < SEQUENCES; n++) {
            String ndjson = encode(new OllamaStreamEncoder("m", random.nextBoolean()), answer(random));
            String[] lines = ndjson.split("\n");
            for (String line : lines) {
                assertThat(Json.MAPPER.readTree(line).isObject()).as("sequence %d: %s", n, line).isTrue();
            }
            JsonNode last = Json.MAPPER.readTree(lines[lines.length - 1]);
            assertThat(last.path("done").asBoolean() || last.has("error")).as("sequence %d", n).isTrue();
        }
    }
}
