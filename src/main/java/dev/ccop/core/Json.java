package dev.ccop.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper. */
public final class Json {
    /**
     * Jackson's default buffer pool is per thread, and every request here has a virtual thread of its own that lives
     * as long as its stream: each open stream would keep ~24 KiB of parser and generator buffers. A shared pool keeps
     * only what is in use.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build()).build();

    private Json() {}
}
