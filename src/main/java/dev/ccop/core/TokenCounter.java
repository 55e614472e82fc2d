package dev.ccop.core;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts a request's prompt tokens with a real BPE tokenizer (o200k_base). Neither Claude's nor every local model's
 * tokenizer is available offline, so this is an estimate; docs/API.md says how close it is.
 */
public final class TokenCounter {
    /** Chat templates wrap every message in role markers; about four tokens in the common templates. */
    static final int PER_MESSAGE_OVERHEAD = 4;
    /** A fixed charge per image: local vision models spend a few hundred to ~1,600 tokens on one. */
    static final int PER_IMAGE = 768;

    /** Loading the vocabulary costs ~0.3 s of CPU: done on first use (class initialisation is thread-safe). */
    private static final class O200k {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    /** Texts shorter than this are counted every time: quicker than remembering them. */
    static final int REMEMBERED_FROM_CHARS = 256;
    /** ~16 MB of remembered text: a few long sessions' prompts and histories. */
    private final RecentCounts recent = new RecentCounts(8_000_000);

    public int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return text.length() < REMEMBERED_FROM_CHARS ? O200k.ENCODING.countTokensOrdinary(text)
                : recent.count(text, O200k.ENCODING::countTokensOrdinary);
    }

    public int count(ChatRequest request) {
        int total = countBlocks(request.system());
        if (!request.system().isEmpty()) {
            total += PER_MESSAGE_OVERHEAD;
        }
        for (Message message : request.messages()) {
            total += PER_MESSAGE_OVERHEAD + countBlocks(message.content());
        }
        for (Tool tool : request.tools()) {
            total += count(tool.name()) + count(tool.description())
                    + (tool.inputSchema() == null ? 0 : count(tool.inputSchema().toString()));
        }
        return total;
    }

    /** One message of a conversation, with its share of the template's markers. */
    public int count(Message message) {
        return PER_MESSAGE_OVERHEAD + countBlocks(message.content());
    }

    private int countBlocks(Iterable<Block> blocks) {
        int total = 0;
        for (Block block : blocks) {
            total += switch (block) {
                case Block.Text t -> count(t.text());
                case Block.Image i -> PER_IMAGE;
                case Block.ToolUse u -> count(u.name()) + count(u.input().toString());
                case Block.ToolResult r -> PER_MESSAGE_OVERHEAD + countBlocks(r.content());
                case Block.Reasoning r -> count(r.text());
            };
        }
        return total;
    }
}
