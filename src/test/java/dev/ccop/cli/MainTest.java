package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpListsEveryOption() {
        assertThat(run("--help")).isZero();
        for (dev.ccop.config.Option option : dev.ccop.config.Option.values()) {
            assertThat(out.toString()).contains(option.flag());
        }
        assertThat(out.toString()).contains("--config");
    }

    @Test
    void versionPrintsTheName() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("claude-code-ollama-proxy ");
    }

    @Test
    void unknownOptionIsOneLineAndExitCode2() {
        assertThat(run("--prot")).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).contains("Unknown option: '--prot'");
    }

    @Test
    void invalidValueIsOneLineAndExitCode2() {
        assertThat(run("serve", "--port", "99999", "--config", "/nonexistent-dir/none.json")).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void doctorExitsWith1WhenSomethingIsWrong() throws Exception {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        assertThat(run("doctor", "--ollama-url", "http://127.0.0.1:" + deadPort, "--port", "0")).isEqualTo(1);
        assertThat(out.toString()).contains("Cannot reach Ollama").contains("Something needs fixing");
    }

    @Test
    void invalidPortValueNamesTheOption() {
        assertThat(run("--port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("--port: expected a port number from 0 to 65535, got 'abc'");
    }
}
