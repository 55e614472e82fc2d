package dev.ccop.agent;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import dev.ccop.upstream.LineSource;
import dev.ccop.upstream.Utf8LineReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One run of the {@code claude} CLI as lines. Closing kills the process and everything it started. Each run holds one
 * permit of the backend's concurrency limit until it ends.
 */
final class ProcessLineSource implements LineSource {
    private final List<String> command;
    private final String input;
    private final Path workingDir;
    private final Map<String, String> environment;
    private final Semaphore permits;
    private final int maxLineBytes;
    private volatile Process process;
    private Utf8LineReader reader;
    private Path stderr;
    private boolean permitHeld;

    /**
     * {@code input} is written to the process's standard input, which is then closed; {@code environment} is all it
     * gets; a line longer than {@code maxLineBytes} ends the run with an error.
     */
    ProcessLineSource(List<String> command, String input, Path workingDir, Map<String, String> environment,
            Semaphore permits, int maxLineBytes) {
        this.command = command;
        this.maxLineBytes = maxLineBytes;
        this.input = input;
        this.workingDir = workingDir;
        this.environment = environment;
        this.permits = permits;
    }

    @Override
    public synchronized ChatEvent.Failed open() {
        if (!permits.tryAcquire()) {
            return failure(429, "Too many Claude Code agent runs at once (--agent-max-concurrent); try again shortly");
        }
        permitHeld = true;
        try {
            stderr = Files.createTempFile("claude-agent", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
            Process started = process;
            // Written beside the reading, so a prompt larger than the pipe's buffer cannot block the two on each other.
            Thread.startVirtualThread(() -> {
                try (var stdin = started.getOutputStream()) {
                    stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended (or was killed) before reading it all: its exit says why
                }
            });
        } catch (IOException e) {
            return failure(502, "Cannot run the claude CLI (" + command.getFirst() + "): " + e.getMessage());
        }
        reader = new Utf8LineReader(process.getInputStream(), maxLineBytes);
        return null;
    }

    @Override
    public Utf8LineReader reader() {
        return reader;
    }

    /** The CLI ended without its result line: say how, with the end of what it printed to stderr. */
    @Override
    public ChatEvent.Failed endedEarly(Exception cause) {
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        String detail = "";
        try {
            String text = Files.readString(stderr).strip();
            detail = text.isEmpty() ? "" : ": " + (text.length() > 500 ? "…" + text.substring(text.length() - 500) : text);
        } catch (IOException ignored) {
            // no detail
        }
        return failure(502, "The claude CLI exited with code " + code + " before answering" + detail);
    }

    @Override
    public synchronized void close() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
        if (permitHeld) {
            permitHeld = false;
            permits.release();
        }
        if (stderr != null) {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    private static ChatEvent.Failed failure(int status, String message) {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.forStatus(status), status, message));
    }
}
