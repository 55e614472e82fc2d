package dev.ccop.cli;

import dev.ccop.config.Config;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pull MODEL…}: downloads models into the configured Ollama, with progress. */
@Command(name = "pull", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Downloads models into the configured Ollama (as `ollama pull`), showing progress.")
final class PullCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ServeOptions options;

    @CommandLine.Parameters(paramLabel = "MODEL", arity = "1..*", description = "Models to pull, e.g. qwen3:8b.")
    List<String> models;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Main.setLogging(new Config.Logging("error", false, false));
        Config config = options.load(System.getenv(), ServeOptions.DotEnvLookup.HERE);
        PrintWriter out = spec.commandLine().getOut();
        ModelPuller puller = new ModelPuller(config, out);
        if (!puller.applies()) {
            out.println(Main.NAME + ": pull works with the Ollama backend; this set-up uses --provider "
                    + config.upstream().providerName() + ".");
            out.flush();
            return 2;
        }
        for (String model : models) {
            if (!puller.pull(model)) {
                return 1;
            }
        }
        return 0;
    }
}
