package dev.ccop.session;

import java.util.List;

/** For tests elsewhere: one text block recorded in a session, as a request would. */
public final class SessionStoreAccess {
    private SessionStoreAccess() {}

    public static void record(SessionStore store, String session, String text) {
        store.record(session, List.of(new SessionStore.StoredBlock(Keys.of(text), "text", null, text, text.length() / 4,
                0, "user")), System.currentTimeMillis());
    }
}
