package dev.ccop.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolCallRepairStreamTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Tool BASH = tool("Bash", "{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"string\"},"
            + "\"timeout\":{\"type\":\"number\"}},\"required\":[\"command\"],\"additionalProperties\":false}");
    private static final Tool READ = tool("Read", "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\","
            + "\"type\":\"object\",\"properties\":{\"file_path\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},"
            + "\"required\":[\"file_path\"]}");

    private final RepairStats stats = new RepairStats();

    private static Tool tool(String name, String schema) {
        try {
            return new Tool(name, name + " tool", MAPPER.readTree(schema));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A backend stream replaying fixed events. */
    private static ChatStream replay(List<ChatEvent> events) {
        ArrayDeque<ChatEvent> queue = new ArrayDeque<>(events);
        return new ChatStream() {
            @Override
            public ChatEvent next() {
                return queue.poll();
            }

            @Override
            public void close() {}
        };
    }

    private List<ChatEvent> run(List<ChatEvent> upstream) {
        ToolCallRepairStream stream = new ToolCallRepairStream(replay(upstream), List.of(BASH, READ), new ToolArguments(), stats);
        List<ChatEvent> out = new ArrayList<>();
        ChatEvent event;
        while ((event = stream.next()) != null) {
            out.add(event);
        }
        return out;
    }

    /** The text arrives one character per delta: the hardest case for holding markup back. */
    private List<ChatEvent> runText(String text) {
        List<ChatEvent> upstream = new ArrayList<>();
        text.codePoints().forEach(cp -> upstream.add(new ChatEvent.TextDelta(Character.toString(cp))));
        upstream.add(new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 2)));
        return run(upstream);
    }

    private static String text(List<ChatEvent> events) {
        StringBuilder sb = new StringBuilder();
        events.stream().filter(ChatEvent.TextDelta.class::isInstance).forEach(e -> sb.append(((ChatEvent.TextDelta) e).text()));
        return sb.toString();
    }

    private static List<ChatEvent.ToolCall> calls(List<ChatEvent> events) {
        return events.stream().filter(ChatEvent.ToolCall.class::isInstance).map(ChatEvent.ToolCall.class::cast).toList();
    }

    private static StopReason stop(List<ChatEvent> events) {
        return ((ChatEvent.Finished) events.getLast()).stopReason();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<tool_call>{\"name\": \"Bash\", \"arguments\": {\"command\": \"ls -la\"}}</tool_call>",
            "<tool_call>\n{\"name\": \"Bash\", \"arguments\": {\"command\": \"ls -la\"}}\n",
            "```json\n{\"name\": \"Bash\", \"arguments\": {\"command\": \"ls -la\"}}\n```",
            "```\n{\"name\": \"Bash\", \"parameters\": {\"command\": \"ls -la\"}}\n```",
            "{\"name\": \"Bash\", \"arguments\": {\"command\": \"ls -la\"}}",
            "  {\"type\": \"function\", \"function\": {\"name\": \"Bash\", \"arguments\": \"{\\\"command\\\": \\\"ls -la\\\"}\"}}",
            "<function=Bash>\n<parameter=command>\nls -la\n</parameter>\n</function>",
            "<function=Bash>{\"command\": \"ls -la\"}</function>",
            "<tool_call>\n<function=Bash>\n<parameter=command>ls -la</parameter>\n</function>\n</tool_call>",
    })
    void aToolCallWrittenAsTextBecomesACallAndNoMarkupLeaks(String modelOutput) {
        List<ChatEvent> events = runText(modelOutput);

        assertThat(calls(events)).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("Bash");
            assertThat(call.input().toString()).isEqualTo("{\"command\":\"ls -la\"}");
            assertThat(call.id()).startsWith("toolu_");
        });
        assertThat(text(events)).isBlank();
        assertThat(stop(events)).isEqualTo(StopReason.TOOL_USE);
        assertThat(stats.snapshot().get("tool_calls_recovered_from_text")).isEqualTo(1);
    }

    @Test
    void proseBeforeAndBetweenCallsIsStreamedAndSeveralCallsAreRecovered() {
        List<ChatEvent> events = runText("I'll look first.\n<tool_call>{\"name\":\"Read\",\"arguments\":{\"file_path\":\"a\"}}"
                + "</tool_call>\n<tool_call>{\"name\":\"Read\",\"arguments\":{\"file_path\":\"b\"}}</tool_call>");

        assertThat(text(events).strip()).isEqualTo("I'll look first.");
        assertThat(calls(events)).extracting(c -> c.input().path("file_path").asText()).containsExactly("a", "b");
        assertThat(calls(events).get(0).id()).isNotEqualTo(calls(events).get(1).id());
    }

    @Test
    void textThatOnlyLooksLikeACallIsDeliveredUnchanged() {
        String answer = "Use `ls` or run:\n```bash\nls -la # list\n```\nA map: {\"name\": \"Bash\"} and <b>bold</b>.\n"
                + "```json\n{\"not\": \"a call\"}\n```\n{\"name\": \"Unknown\", \"arguments\": {}}";

        List<ChatEvent> events = runText(answer);

        assertThat(text(events)).isEqualTo(answer);
        assertThat(calls(events)).isEmpty();
        assertThat(stop(events)).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void aBareJsonObjectThatIsNotACallIsTextAtTheEnd() {
        assertThat(text(runText("{\"answer\": 42}"))).isEqualTo("{\"answer\": 42}");
    }

    @Test
    void ordinaryTextStreamsWithoutBeingHeldBack() {
        List<ChatEvent> events = run(List.of(new ChatEvent.TextDelta("Hello "), new ChatEvent.TextDelta("world"),
                new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 2))));

        assertThat(events).containsExactly(new ChatEvent.TextDelta("Hello "), new ChatEvent.TextDelta("world"),
                new ChatEvent.Finished(StopReason.END_TURN, new Usage(1, 2)));
    }

    @Test
    void obviousArgumentSlipsAreMended() throws Exception {
        List<ChatEvent> events = run(List.of(
                new ChatEvent.ToolCall("call_1", "Bash", (ObjectNode) MAPPER.readTree("{\"command\":\"ls\",\"timeout\":\"5\"}")),
                new ChatEvent.ToolCall("call_2", "Read", (ObjectNode) MAPPER.readTree("{\"file_path\":\"x\",\"limit\":\"10\"}")),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(1, 2))));

        assertThat(calls(events)).extracting(c -> c.input().toString())
                .containsExactly("{\"command\":\"ls\",\"timeout\":5}", "{\"file_path\":\"x\",\"limit\":10}");
        assertThat(calls(events).getFirst().id()).isEqualTo("call_1");
        assertThat(stats.snapshot().get("arguments_coerced")).isEqualTo(2);
    }

    @Test
    void anInvalidCallIsWithheldAsTextAndTheStopReasonIsNoLongerToolUse() throws Exception {
        List<ChatEvent> events = run(List.of(
                new ChatEvent.ToolCall("call_1", "Bash", (ObjectNode) MAPPER.readTree("{\"cmd\":\"ls\"}")),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(1, 2))));

        assertThat(calls(events)).isEmpty();
        assertThat(text(events)).contains("Tool call not delivered").contains("`Bash`").contains("command");
        assertThat(stop(events)).isEqualTo(StopReason.END_TURN);
        assertThat(stats.snapshot().get("invalid_tool_calls_withheld")).isEqualTo(1);
    }

    @Test
    void aCallToAToolTheRequestDidNotOfferIsWithheld() throws Exception {
        List<ChatEvent> events = run(List.of(
                new ChatEvent.ToolCall("call_1", "Delete", (ObjectNode) MAPPER.readTree("{}")),
                new ChatEvent.ToolCall("call_2", "Bash", (ObjectNode) MAPPER.readTree("{\"command\":\"ls\"}")),
                new ChatEvent.Finished(StopReason.TOOL_USE, new Usage(1, 2))));

        assertThat(text(events)).contains("offered no tool of that name");
        assertThat(calls(events)).extracting(ChatEvent.ToolCall::name).containsExactly("Bash");
        assertThat(stop(events)).isEqualTo(StopReason.TOOL_USE);
    }

    @Test
    void heldTextIsReleasedBeforeAFailure() {
        List<ChatEvent> events = run(List.of(new ChatEvent.TextDelta("partial <tool_c"),
                new ChatEvent.Failed(new ProxyError(ErrorKind.API_ERROR, 502, "cut"))));

        assertThat(text(events)).isEqualTo("partial <tool_c");
        assertThat(events.getLast()).isInstanceOf(ChatEvent.Failed.class);
    }
}
