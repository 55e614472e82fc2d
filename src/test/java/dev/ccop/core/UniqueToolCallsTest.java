package dev.ccop.core;

import static dev.ccop.testing.Events.call;
import static dev.ccop.testing.Events.finished;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueToolCallsTest {

    private static List<ChatEvent> through(ChatEvent... events) {
        Iterator<ChatEvent> source = List.of(events).iterator();
        ChatStream upstream = new ChatStream() {
            @Override
            public ChatEvent next() {
                return source.hasNext() ? source.next() : null;
            }

            @Override
            public void close() {
            }
        };
        List<ChatEvent> out = new ArrayList<>();
        try (UniqueToolCalls unique = new UniqueToolCalls(upstream)) {
            ChatEvent event;
            while ((event = unique.next()) != null) {
                out.add(event);
            }
        }
        return out;
    }

    @Test
    void anExactRepeatIsDroppedAndADifferentCallWithTheSameIdGetsAFreshId() {
        List<ChatEvent> out = through(call("call_1", "Bash", "{\"command\":\"ls\"}"),
                call("call_1", "Bash", "{\"command\":\"ls\"}"), call("call_1", "Read", "{\"file_path\":\"a\"}"),
                finished(StopReason.TOOL_USE, 1, 1));

        assertThat(out).hasSize(3);
        ChatEvent.ToolCall first = (ChatEvent.ToolCall) out.get(0);
        ChatEvent.ToolCall second = (ChatEvent.ToolCall) out.get(1);
        assertThat(first.id()).isEqualTo("call_1");
        assertThat(second.name()).isEqualTo("Read");
        assertThat(second.id()).isNotEqualTo("call_1").startsWith("toolu_");
        assertThat(out.get(2)).isInstanceOf(ChatEvent.Finished.class);
    }
}
