package dev.ccop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real Claude Code requests captured in src/test/resources/claude-code (its README says where from). */
public final class Fixtures {
    public static final Path CLAUDE_CODE = resource("/claude-code");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {}

    private static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode claudeCode(String name) {
        try {
            return MAPPER.readTree(CLAUDE_CODE.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tools a request lets the model call now: those not marked {@code defer_loading}, and deferred ones that a
     * {@code tool_reference} in the conversation has loaded.
     */
    public static long callableToolCount(JsonNode body) {
        String text = body.path("messages").toString();
        long count = 0;
        for (JsonNode tool : body.path("tools")) {
            boolean deferred = tool.path("defer_loading").asBoolean(false);
            String reference = "\"type\":\"tool_reference\",\"tool_name\":\"" + tool.path("name").asText() + "\"";
            count += !deferred || text.contains(reference) ? 1 : 0;
        }
        return count;
    }

    /** Every captured request body (not headers.json), by file name. */
    public static List<String> claudeCodeRequests() {
        try (Stream<Path> files = Files.list(CLAUDE_CODE)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.equals("headers.json"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
