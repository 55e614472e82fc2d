package dev.ccop.cli;

import dev.ccop.config.Config;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code claude-code-ollama-proxy doctor}: exit code 1 when any check fails. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check Ollama, the models, the claude CLI, ANTHROPIC_BASE_URL and the port, and say how to fix"
                + " what is wrong. Takes the same options as serve.")
final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ServeOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--fix", description = "Pull the models the set-up names but Ollama lacks, then check"
            + " again.")
    boolean fix;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        Main.setLogging(new Config.Logging("error", false, false));
        Config config = options.load(env, ServeOptions.DotEnvLookup.HERE);
        List<Doctor.Check> checks = new Doctor(config, env).run();
        if (fix) {
            ModelPuller puller = new ModelPuller(config, spec.commandLine().getOut());
            List<String> missing = checks.stream().map(Doctor.Check::missingModel).filter(m -> m != null).toList();
            if (puller.applies() && !missing.isEmpty()) {
                missing.forEach(puller::pull);
                checks = new Doctor(config, env).run();
            }
        }
        checks.forEach(check -> spec.commandLine().getOut().println(check));
        boolean failed = checks.stream().anyMatch(c -> c.status() == Doctor.Status.FAIL);
        spec.commandLine().getOut().println(failed ? "Something needs fixing (see ✗ above)." : "All set.");
        spec.commandLine().getOut().flush();
        return failed ? 1 : 0;
    }
}
