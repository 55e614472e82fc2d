package dev.ccop.core;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Random identifiers in the shapes clients expect ({@code msg_…}, {@code req_…}). */
public final class Ids {
    private Ids() {}

    public static String messageId() {
        return "msg_" + randomHex();
    }

    public static String requestId() {
        return "req_" + randomHex();
    }

    private static String randomHex() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
