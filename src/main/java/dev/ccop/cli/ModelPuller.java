package dev.ccop.cli;

import dev.ccop.config.Config;
import dev.ccop.core.ProxyError;
import dev.ccop.ollama.OllamaClient;
import java.io.PrintWriter;
import java.lang.reflect.Method;

/** Pulls models into the configured Ollama with visible progress: {@code pull}, {@code doctor --fix}, the launcher. */
final class ModelPuller {
    private final Config config;
    private final PrintWriter out;

    ModelPuller(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Whether models can be pulled at all: only Ollama pulls models. */
    boolean applies() {
        return config.upstream().provider() == Config.Provider.OLLAMA;
    }

    /** Pulls {@code model}; false, with the reason printed, when Ollama could not. */
    boolean pull(String model) {
        OllamaClient ollama = new OllamaClient(config.upstream().ollamaUrl(), config.upstream().maxLineBytes());
        out.println("Pulling " + model + " into Ollama at " + config.upstream().ollamaUrl() + " …");
        out.flush();
        try {
            ollama.pull(model, new PullProgress(out, onTerminal(), System::nanoTime));
            out.println(model + " is ready.");
            return true;
        } catch (ProxyError e) {
            out.println(Main.NAME + ": " + e.getMessage());
            return false;
        } finally {
            out.flush();
        }
    }

    /** Standard output is a terminal (JDK 22+ can tell; before, a console exists only for one). */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
