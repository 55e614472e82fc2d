package dev.ccop.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one JSON mapper. */
public final class Json {
    /**
     * Far deeper than any request or answer nests (Claude Code's deepest tool schemas: about 12 levels), far shallower
     * than Jackson's default of 1,000, and checked while parsing, before a tree is built.
     */
    static final int MAX_NESTING = 128;

    /**
     * Jackson's default buffer pool is per thread, and every request here has a virtual thread of its own that lives
     * as long as its stream: each open stream would keep ~24 KiB of parser and generator buffers. A shared pool keeps
     * only what is in use.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build())
            .build();

    private Json() {}

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Tool-call arguments as upstreams send them in text: anything that is not a JSON object becomes {@code {}}, which
     * then fails the schema check downstream, where the client is told what the model sent.
     */
    public static ObjectNode objectOrEmpty(String json) {
        if (json != null && !json.isBlank()) {
            try {
                if (MAPPER.readTree(json) instanceof ObjectNode object) {
                    return object;
                }
            } catch (JsonProcessingException ignored) {
                // the empty object below
            }
        }
        return MAPPER.createObjectNode();
    }
}
