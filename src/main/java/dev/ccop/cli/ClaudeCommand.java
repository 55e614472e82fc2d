package dev.ccop.cli;

import dev.ccop.ProxyApp;
import dev.ccop.agent.ClaudeCli;
import dev.ccop.config.Config;
import dev.ccop.config.Option;
import dev.ccop.core.ProxyError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code claude-code-ollama-proxy claude [options] [-- claude args…]}: starts the proxy on a free loopback port, runs
 * Claude Code wired to it, and stops the proxy when Claude Code exits, with Claude Code's exit code.
 */
@Command(name = "claude", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Start the proxy and run Claude Code against it. Arguments after -- go to claude.")
final class ClaudeCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ServeOptions options;

    @CommandLine.Option(names = "--model", paramLabel = "MODEL",
            description = "The Ollama model for every Claude tier (default: --default-model, else the newest installed).")
    String model;

    @CommandLine.Option(names = "--proxy-url", paramLabel = "URL",
            description = "Use a proxy that is already running instead of starting one.")
    String proxyUrl;

    @CommandLine.Unmatched
    List<String> claudeArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = System.getenv();
        Map<Option, String> flags = options.given();
        flags.putIfAbsent(Option.PORT, "0"); // a free port, unless the user chose one
        flags.putIfAbsent(Option.LOG_LEVEL, "error"); // the terminal belongs to Claude Code
        if (model != null) {
            flags.put(Option.DEFAULT_MODEL, model);
        }
        Config config = options.load(flags, env, ServeOptions.DotEnvLookup.ONLY_NAMED);
        Main.setLogging(config.logging());
        Path claude = config.agent().claude();
        if (claude == null) {
            System.err.println(Main.NAME + ": the claude CLI is not installed (or not on the PATH). Install it with: "
                    + ClaudeCli.INSTALL_HINT);
            return 127;
        }
        ProxyApp app = proxyUrl == null ? ProxyApp.start(config) : ProxyApp.create(config);
        try {
            offerToPull(config, app);
            String baseUrl = proxyUrl != null ? proxyUrl : "http://127.0.0.1:" + app.port();
            ClaudeEnvironment wiring;
            try {
                wiring = ClaudeEnvironment.forProxy(app, config, baseUrl);
            } catch (ProxyError e) {
                System.err.println(Main.NAME + ": " + e.getMessage());
                return 1;
            }
            List<String> command = new ArrayList<>();
            command.add(claude.toString());
            command.addAll(claudeArgs);
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            wiring.applyTo(builder.environment());
            Process process = builder.start();
            return process.waitFor();
        } finally {
            if (proxyUrl == null) {
                app.stop();
            }
        }
    }

    /** On a terminal, a model named for Claude Code but missing from Ollama is offered for download first. */
    private static void offerToPull(Config config, ProxyApp app) {
        String wanted = config.models().defaultModel();
        ModelPuller puller = new ModelPuller(config, new PrintWriter(System.out, true));
        if (wanted == null || !puller.applies() || !ModelPuller.onTerminal() || app.router().isInstalled(wanted)) {
            return;
        }
        System.out.print(wanted + " is not in Ollama yet. Pull it now? [Y/n] ");
        System.out.flush();
        String answer = System.console().readLine();
        if (answer != null && (answer.isBlank() || answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y"))
                && puller.pull(wanted)) {
            app.backend().refresh();
        }
    }

}
