package dev.ccop.core;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the shapes clients expect ({@code msg_…}, {@code req_…}, {@code toolu_…}). */
public final class Ids {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final char[] ID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private Ids() {}

    public static String messageId() {
        return "msg_" + randomHex();
    }

    public static String requestId() {
        return "req_" + randomHex();
    }

    /** {@code toolu_} + 24 random letters and digits, the shape of Anthropic's tool-use ids. */
    public static String toolUseId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return "toolu_" + new String(id);
    }

    private static String randomHex() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
