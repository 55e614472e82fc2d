package dev.ccop.cli;

import dev.ccop.ProxyApp;
import dev.ccop.agent.ClaudeCli;
import dev.ccop.config.Config;
import dev.ccop.core.InstalledModel;
import dev.ccop.core.ProxyError;
import dev.ccop.core.TaskRoutes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks what a working Claude Code + Ollama set-up needs, and says how to fix what is wrong. */
final class Doctor {
    /** Claude Code's first request (system prompt and tools) measured on the captured requests with o200k_base. */
    static final int CLAUDE_CODE_PROMPT_TOKENS = 19_000;
    static final int COMFORTABLE_WINDOW = 32_768;

    enum Status { OK, WARN, FAIL }

    /** {@code missingModel}: the model this check found missing (null for other checks), for {@code --fix}. */
    record Check(Status status, String message, String missingModel) {
        Check(Status status, String message) {
            this(status, message, null);
        }

        /** ✓, ! or ✗ — or ok, !, x where the terminal's character set has no ticks (LANG=C, say). */
        @Override
        public String toString() {
            String mark = switch (status) {
                case OK -> TICKS ? "✓" : "ok";
                case WARN -> "!";
                case FAIL -> TICKS ? "✗" : "x";
            };
            return mark + " " + message;
        }

        private static final boolean TICKS = System.out.charset().newEncoder().canEncode("✓✗");
    }

    private final Config config;
    private final Map<String, String> env;
    private final List<Check> checks = new ArrayList<>();

    Doctor(Config config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    List<Check> run() {
        upstream(ProxyApp.create(config));
        claudeCli();
        baseUrl();
        port();
        return checks;
    }

    /** The backend and its models only: what {@code serve} checks as it starts. */
    List<Check> upstream(ProxyApp app) {
        if (ollama(app)) {
            models(app);
        }
        return checks;
    }

    private boolean ollama(ProxyApp app) {
        try {
            String version = app.backend().version();
            ok(app.backend().name() + " " + version + " answers at " + app.backend().url());
            return true;
        } catch (ProxyError e) {
            fail(e.getMessage());
            return false;
        }
    }

    private void models(ProxyApp app) {
        List<InstalledModel> installed = app.backend().refresh();
        if (installed.isEmpty()) {
            fail(app.backend().describeLocation() + " has no models. Fix: " + app.backend().installHint("qwen2.5-coder:7b")
                    + " (or another model that can use tools)");
            return;
        }
        ok("Installed models: " + String.join(", ", installed.stream().map(InstalledModel::name).toList()));
        Map<String, String> wanted = new LinkedHashMap<>();
        config.models().modelMap().entries().forEach((from, to) -> wanted.putIfAbsent(to, "--model-map " + from));
        if (config.models().defaultModel() != null) {
            wanted.putIfAbsent(config.models().defaultModel(), "--default-model");
        }
        if (config.models().smallModel() != null) {
            wanted.putIfAbsent(config.models().smallModel(), "--small-model");
        }
        List<TaskRoutes.Rule> routes = config.models().routes();
        for (int i = 0; i < routes.size(); i++) {
            wanted.putIfAbsent(routes.get(i).model(), "routes[" + i + "], when " + routes.get(i).kind());
        }
        for (Map.Entry<String, String> model : wanted.entrySet()) {
            if (!app.router().isInstalled(model.getKey())) {
                checks.add(new Check(Status.FAIL, "Model '" + model.getKey() + "' (" + model.getValue()
                        + ") is not installed. Fix: " + app.backend().installHint(model.getKey())
                        + " (or: claude-code-ollama-proxy doctor --fix)", model.getKey()));
            }
        }
        String main;
        try {
            main = app.router().mainModel("claude-sonnet");
        } catch (ProxyError e) {
            fail(e.getMessage());
            return;
        }
        modelFitness(app, main, config.models().defaultModel() == null ? "newest installed model" : "--default-model");
    }

    private void modelFitness(ProxyApp app, String model, String why) {
        List<String> capabilities = app.backend().capabilities(model);
        int trained = app.backend().trainedContext(model);
        int window = app.backend().contextWindow(model);
        String summary = "Claude Code's requests go to " + model + " (" + why + "); capabilities: "
                + (capabilities.isEmpty() ? "unknown" : String.join(", ", capabilities))
                + "; trained context " + (trained > 0 ? trained : "unknown") + ", num_ctx " + window;
        if (!capabilities.isEmpty() && !capabilities.contains("tools")) {
            warn(summary + ". It cannot use tools natively: the proxy describes them in the prompt and reads calls"
                    + " back from its text, which works less reliably. Better: --default-model with a tool-capable"
                    + " model (qwen2.5-coder, qwen3, llama3.1)");
        } else if (window < CLAUDE_CODE_PROMPT_TOKENS) {
            fail(summary + ". Claude Code's own prompt is up to ~" + CLAUDE_CODE_PROMPT_TOKENS + " tokens and does not"
                    + " fit. Fix: --context-window 32768 (or more), if the model and memory allow");
        } else if (window < COMFORTABLE_WINDOW) {
            warn(summary + ". Little room is left for the conversation; Claude Code will compact often."
                    + " Fix: --context-window 32768 or more");
        } else {
            ok(summary);
        }
        if (!capabilities.isEmpty() && !capabilities.contains("vision")) {
            warn(model + " cannot see images: images are replaced by a notice (--images-without-vision)");
        }
    }

    private void claudeCli() {
        if (config.agent().claude() == null) {
            fail("The claude CLI is not installed. Fix: " + ClaudeCli.INSTALL_HINT);
            return;
        }
        String version = ClaudeCli.version(config.agent().claude());
        if (version == null) {
            fail(config.agent().claude() + " did not answer --version. Fix: reinstall it: " + ClaudeCli.INSTALL_HINT);
        } else {
            ok("Claude Code " + version + " at " + config.agent().claude());
        }
    }

    private void baseUrl() {
        String url = env.get("ANTHROPIC_BASE_URL");
        String ours = "http://" + config.server().host() + ":" + config.server().port();
        if (url == null || url.isBlank()) {
            ok("ANTHROPIC_BASE_URL is not set here; run Claude Code with ANTHROPIC_BASE_URL=" + ours
                    + " (or use: claude-code-ollama-proxy claude)");
            return;
        }
        String trimmed = url.strip().replaceAll("/+$", "");
        if (trimmed.endsWith("/v1")) {
            fail("ANTHROPIC_BASE_URL=" + url + " ends in /v1, but Claude Code adds /v1 itself. Fix: ANTHROPIC_BASE_URL="
                    + trimmed.substring(0, trimmed.length() - 3));
        } else if (!trimmed.equals(ours) && !trimmed.equals(ours.replace("127.0.0.1", "localhost"))) {
            warn("ANTHROPIC_BASE_URL=" + url + " does not point at this proxy (" + ours + ")");
        } else {
            ok("ANTHROPIC_BASE_URL points at this proxy");
        }
    }

    private void port() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.server().host()), config.server().port()));
            ok("Port " + config.server().port() + " on " + config.server().host() + " is free");
        } catch (IOException e) {
            if (proxyRunsOnPort()) {
                ok("A claude-code-ollama-proxy is already running on " + config.server().host() + ":" + config.server().port());
            } else {
                fail("Port " + config.server().port() + " on " + config.server().host() + " is taken by another program. Fix: --port "
                        + "with a free port (or stop that program)");
            }
        }
    }

    private boolean proxyRunsOnPort() {
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build().send(
                    HttpRequest.newBuilder(URI.create("http://" + config.server().host() + ":" + config.server().port() + "/health"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.body().contains("\"service\":\"claude-code-ollama-proxy\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void ok(String message) {
        checks.add(new Check(Status.OK, message));
    }

    private void warn(String message) {
        checks.add(new Check(Status.WARN, message));
    }

    private void fail(String message) {
        checks.add(new Check(Status.FAIL, message));
    }
}
