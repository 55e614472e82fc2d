package dev.ccop.agent;

import java.io.IOException;
import java.nio.file.Path;

/** Asking the {@code claude} CLI (found by the config); shared by the launcher, {@code doctor} and the agent backend. */
public final class ClaudeCli {
    public static final String INSTALL_HINT = "npm install -g @anthropic-ai/claude-code";

    private ClaudeCli() {}

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
