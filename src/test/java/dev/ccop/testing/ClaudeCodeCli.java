package dev.ccop.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI from npm, installed once into {@code target/} (pinned: 2.1.330 is a native binary that
 * runs whatever the Node version), and run offline the way src/test/resources/claude-code/README.md describes.
 */
public final class ClaudeCodeCli {
    public static final String VERSION = "2.1.330";
    private static final Path DIR = Path.of("target", "claude-code-" + VERSION).toAbsolutePath();
    private static final Path BIN = DIR.resolve("node_modules").resolve(".bin").resolve("claude");

    private ClaudeCodeCli() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    public static synchronized Path install() throws IOException, InterruptedException {
        if (Files.isExecutable(BIN)) {
            return BIN;
        }
        Files.createDirectories(DIR);
        Process npm = new ProcessBuilder("npm", "install", "--prefix", DIR.toString(), "--no-audit", "--no-fund",
                "--loglevel=error", "@anthropic-ai/claude-code@" + VERSION)
                .redirectErrorStream(true).redirectOutput(DIR.resolve("npm-install.log").toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isExecutable(BIN)) {
            throw new IllegalStateException("npm could not install Claude Code " + VERSION + ": "
                    + Files.readString(DIR.resolve("npm-install.log")));
        }
        return BIN;
    }

    /** The offline environment that worked for the captures, in a scratch HOME. */
    public static Map<String, String> offlineEnvironment(Path home) {
        return Map.of(
                "HOME", home.toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "TERM", "dumb",
                "LANG", "C.UTF-8",
                "DISABLE_TELEMETRY", "1",
                "DISABLE_AUTOUPDATER", "1",
                "DISABLE_ERROR_REPORTING", "1",
                "IS_SANDBOX", "1");
    }

    /** Runs a command with exactly {@code env}, in {@code dir}, bounded in time. */
    public static Result run(List<String> command, Map<String, String> env, Path dir, long timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\nstdout: "
                    + Files.readString(out) + "\nstderr: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
