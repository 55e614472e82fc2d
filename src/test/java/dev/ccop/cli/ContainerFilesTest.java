package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ccop.config.Option;
import dev.ccop.testing.FakeOllama;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile and docker-compose.yml against the proxy they package: every setting they name exists, the health
 * check is a real subcommand, the compose targets are Dockerfile stages. Where a container engine answers, the image
 * is built and run; elsewhere that part is skipped, and says so.
 */
class ContainerFilesTest {
    private static final Pattern SETTING = Pattern.compile("\\bCCOP_[A-Z_]+\\b");

    @Test
    void everySettingTheContainerFilesNameIsAnOptionOfTheProxy() throws Exception {
        Set<String> known = Arrays.stream(Option.values()).map(o -> o.env).collect(Collectors.toSet());
        for (String file : List.of("Dockerfile", "docker-compose.yml")) {
            Matcher names = SETTING.matcher(Files.readString(Path.of(file)));
            while (names.find()) {
                assertThat(known).as(file + " names " + names.group()).contains(names.group());
            }
        }
    }

    @Test
    void theHealthCheckIsARealSubcommandAndTheComposeTargetsAreStages() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("HEALTHCHECK").contains("\"healthcheck\"").contains("USER proxy");
        assertThat(Main.commandLine().getSubcommands()).containsKey("healthcheck");
        String compose = Files.readString(Path.of("docker-compose.yml"));
        Matcher targets = Pattern.compile("target: (\\S+)").matcher(compose);
        while (targets.find()) {
            assertThat(dockerfile).contains(" AS " + targets.group(1) + "\n");
        }
        assertThat(compose).contains("condition: service_healthy").contains("\"127.0.0.1:11435:11435\"")
                .contains(":ro");
    }

    @Test
    void healthcheckExitsZeroForARunningProxyAndOneWithoutOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThat(Main.commandLine().execute("healthcheck", "--port", Integer.toString(port))).isEqualTo(1);
        try (FakeOllama ollama = new FakeOllama().model("qwen3:8b", "completion");
                dev.ccop.testing.ProxyHarness harness = new dev.ccop.testing.ProxyHarness(ollama,
                        dev.ccop.testing.ProxyHarness.config(ollama.url(), java.util.Map.of(), "qwen3:8b",
                                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), null))) {
            String running = harness.baseUrl().substring(harness.baseUrl().lastIndexOf(':') + 1);
            assertThat(Main.commandLine().execute("healthcheck", "--port", running)).isZero();
        }
    }

    @Test
    void theImageBuildsAndAnswersItsHealthCheckWhereAContainerEngineRuns() throws Exception {
        assumeTrue(engineAnswers(), "no container engine answers here (docker info failed): the image test is skipped");
        run(List.of("docker", "build", "-t", "claude-code-ollama-proxy:test", "."), 1200);
        String id = run(List.of("docker", "run", "-d", "claude-code-ollama-proxy:test"), 60).strip();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String health = "";
            while (!health.equals("healthy") && System.nanoTime() < deadline) {
                Thread.sleep(2000);
                health = run(List.of("docker", "inspect", "--format", "{{.State.Health.Status}}", id), 30).strip();
            }
            assertThat(health).isEqualTo("healthy");
            assertThat(run(List.of("docker", "exec", id, "id", "-u"), 30).strip()).isNotEqualTo("0");
        } finally {
            run(List.of("docker", "rm", "-f", id), 60);
        }
    }

    private static boolean engineAnswers() {
        try {
            Process info = new ProcessBuilder("docker", "info").redirectErrorStream(true).start();
            info.getInputStream().readAllBytes();
            return info.waitFor(20, TimeUnit.SECONDS) && info.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(List<String> command, int seconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
