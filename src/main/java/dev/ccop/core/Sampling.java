package dev.ccop.core;

import java.util.List;

/** Generation limits and sampling options; a null field means "the client did not send it". */
public record Sampling(Integer maxTokens, Double temperature, Double topP, Integer topK, List<String> stopSequences,
        Integer seed) {
    public Sampling {
        stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
    }
}
