package dev.ccop.agent;

import dev.ccop.core.ChatEvent;
import dev.ccop.core.ChatStream;
import dev.ccop.core.ErrorKind;
import dev.ccop.core.ProxyError;
import dev.ccop.upstream.LineDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One run of the {@code claude} CLI, read line by line. The process starts on the first {@link #next()} and is killed
 * (with everything it started) when the stream is closed: a client that hangs up or a timeout stops the agent.
 * Each run holds one permit of the backend's concurrency limit until it ends.
 */
final class ClaudeProcessStream implements ChatStream {
    private final List<String> command;
    private final Path workingDir;
    private final Map<String, String> environment;
    private final Semaphore permits;
    private final LineDecoder decoder = new StreamJsonDecoder();
    private final ArrayDeque<ChatEvent> pending = new ArrayDeque<>();
    private volatile Process process;
    private volatile boolean closed;
    private BufferedReader reader;
    private Path stderr;
    private boolean permitHeld;
    private boolean ended;

    ClaudeProcessStream(List<String> command, Path workingDir, Map<String, String> environment, Semaphore permits) {
        this.command = command;
        this.workingDir = workingDir;
        this.environment = environment;
        this.permits = permits;
    }

    @Override
    public ChatEvent next() {
        while (!ended) {
            if (!pending.isEmpty()) {
                return emit(pending.poll());
            }
            if (closed) {
                return emit(failure(499, "Request cancelled"));
            }
            if (reader == null) {
                ChatEvent failure = start();
                if (failure != null) {
                    return emit(failure);
                }
            }
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                line = null;
            }
            if (line == null) {
                return emit(closed ? failure(499, "Request cancelled") : exitFailure());
            }
            if (!line.isBlank()) {
                pending.addAll(decoder.decode(line));
            }
        }
        return null;
    }

    private ChatEvent start() {
        if (!permits.tryAcquire()) {
            return failure(429, "Too many Claude Code agent runs at once (--agent-max-concurrent); try again shortly");
        }
        permitHeld = true;
        try {
            stderr = Files.createTempFile("claude-agent", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            return failure(502, "Cannot run the claude CLI (" + command.getFirst() + "): " + e.getMessage());
        }
        if (closed) {
            kill();
        }
        reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return null;
    }

    /** The CLI ended without its result line: say how, with the end of what it printed to stderr. */
    private ChatEvent exitFailure() {
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

    private ChatEvent emit(ChatEvent event) {
        if (event instanceof ChatEvent.Finished || event instanceof ChatEvent.Failed) {
            ended = true;
            pending.clear();
            close();
        }
        return event;
    }

    private static ChatEvent failure(int status, String message) {
        return new ChatEvent.Failed(new ProxyError(ErrorKind.forStatus(status), status, message));
    }

    @Override
    public synchronized void close() {
        closed = true;
        kill();
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

    private void kill() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
