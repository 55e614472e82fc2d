package dev.ccop.upstream;

import dev.ccop.core.ChatEvent;
import java.util.List;

/** One answer's line-based wire format (NDJSON, SSE) to events; one instance per answer. */
public interface LineDecoder {

    /** The events one line carries (often none). */
    List<ChatEvent> decode(String line);

    /** What the end of the body means when no terminal event came: usually a failure, for SSE maybe the finish. */
    List<ChatEvent> atEnd();
}
