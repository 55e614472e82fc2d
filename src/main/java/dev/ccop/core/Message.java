package dev.ccop.core;

import java.util.List;

public record Message(Role role, List<Block> content) {
    public Message {
        content = List.copyOf(content);
    }
}
