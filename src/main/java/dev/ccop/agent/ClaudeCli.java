package dev.ccop.agent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Finding and asking the {@code claude} CLI; shared by the launcher, {@code doctor} and the agent backend. */
public final class ClaudeCli {
    public static final String INSTALL_HINT = "npm install -g @anthropic-ai/claude-code";

    private ClaudeCli() {}

    /** {@code explicit} when given, else {@code CCOP_CLAUDE_PATH}, else {@code claude} on the PATH; null if none runs. */
    public static Path find(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return Files.isExecutable(explicit) ? explicit : null;
        }
        String configured = env.get("CCOP_CLAUDE_PATH");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isExecutable(path) ? path : null;
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, "claude");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** What {@code claude --version} prints, or null when it cannot be run. */
    public static String version(Path claude) {
        try {
            Process process = new ProcessBuilder(claude.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
