package dev.ccop.session;

import dev.ccop.core.Block;
import dev.ccop.core.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content keys: the same content gives the same key in every request and after a restart. */
final class Keys {
    private Keys() {}

    static String message(Message message) {
        StringBuilder text = new StringBuilder(message.role().name());
        for (Block block : message.content()) {
            text.append('\u0000');
            switch (block) {
                case Block.Text t -> text.append("text:").append(t.text());
                case Block.ToolUse u -> text.append("tool_use:").append(u.id()).append(u.name()).append(u.input());
                case Block.ToolResult r -> text.append("tool_result:").append(r.toolUseId()).append(Block.joinText(r.content()));
                case Block.Reasoning r -> text.append("thinking:").append(r.text());
                case Block.Image i -> text.append("image:").append(i.data().length()).append(i.data(), 0,
                        Math.min(64, i.data().length()));
            }
        }
        return of(text.toString());
    }

    static String of(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
