package dev.ccop.config;

import dev.ccop.core.ImagePolicy;
import dev.ccop.core.ModelMap;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import dev.ccop.openai.ReasoningOutput;

/** The proxy's validated settings. {@code defaultModel}, {@code smallModel} and {@code contextWindow} may be null. */
public record Config(
        String host,
        int port,
        String apiKey,
        URI ollamaUrl,
        Provider provider,
        URI providerUrl,
        String providerApiKey,
        Path claudePath,
        Path agentWorkdir,
        int agentMaxTurns,
        int agentMaxConcurrent,
        ModelMap modelMap,
        String defaultModel,
        String smallModel,
        Integer contextWindow,
        int contextCap,
        String keepAlive,
        List<String> thinkModels,
        ReasoningOutput reasoningOutput,
        String logLevel,
        Duration requestTimeout,
        Duration pingInterval,
        ImagePolicy imagesWithoutVision,
        Path stateDir,
        long maxRequestBytes) {

    /** Where answers come from. */
    public enum Provider { OLLAMA, OPENAI, ANTHROPIC, CLAUDE_AGENT }

    @Override
    public String toString() {
        return "Config[host=" + host + ", port=" + port + ", provider=" + provider + "]"; // never print the keys
    }
}
