package dev.ccop.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccop.core.ChatEvent;
import dev.ccop.core.Json;
import dev.ccop.core.StopReason;
import dev.ccop.core.Usage;
import dev.ccop.upstream.LineDecoder;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Short names for canonical events in translation tables, and a decoder run over a list of lines. */
public final class Events {
    private Events() {}

    public static ChatEvent text(String text) {
        return new ChatEvent.TextDelta(text);
    }

    public static ChatEvent thinking(String text) {
        return new ChatEvent.ReasoningDelta(text);
    }

    public static ChatEvent call(String id, String name, String inputJson) {
        try {
            return new ChatEvent.ToolCall(id, name, (ObjectNode) Json.MAPPER.readTree(inputJson));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ChatEvent finished(StopReason reason, int input, int output) {
        return new ChatEvent.Finished(reason, new Usage(input, output));
    }

    /**
     * The events the lines give up to the first terminal one, else with what the end of the body gives: what
     * {@code LineChatStream} delivers (blank lines skipped, nothing after the end).
     */
    public static List<ChatEvent> decodeAll(LineDecoder decoder, List<String> lines) {
        List<ChatEvent> events = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank() && takeUntilEnd(decoder.decode(line), events)) {
                return events;
            }
        }
        takeUntilEnd(decoder.atEnd(), events);
        return events;
    }

    private static boolean takeUntilEnd(List<ChatEvent> decoded, List<ChatEvent> events) {
        for (ChatEvent event : decoded) {
            events.add(event);
            if (event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed) {
                return true;
            }
        }
        return false;
    }
}
