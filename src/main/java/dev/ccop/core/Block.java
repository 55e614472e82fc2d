package dev.ccop.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One piece of message content. The Anthropic block model is the richest dialect, so this mirrors it. */
public sealed interface Block {

    record Text(String text) implements Block {}

    /** A base64 image; {@code data} has no {@code data:} prefix. */
    record Image(String mediaType, String data) implements Block {}

    /** A tool call made by the assistant; {@code input} keeps the key order it arrived with. */
    record ToolUse(String id, String name, ObjectNode input) implements Block {}

    record ToolResult(String toolUseId, List<Block> content, boolean isError) implements Block {}

    /** Model reasoning ("thinking"); {@code signature} may be empty. */
    record Reasoning(String text, String signature) implements Block {}

    /** The non-empty text blocks, joined by blank lines; every other kind of block is left out. */
    static String joinText(List<Block> blocks) {
        StringBuilder text = new StringBuilder();
        for (Block block : blocks) {
            if (block instanceof Text t && !t.text().isEmpty()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
            }
        }
        return text.toString();
    }
}
