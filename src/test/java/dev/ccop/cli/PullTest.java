package dev.ccop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccop.core.Json;
import dev.ccop.testing.FakeOllama;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code pull} and {@code doctor --fix} against the Ollama test double's {@code /api/pull}, and the progress view. */
class PullTest {

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(args);
        return exit + "\n" + out;
    }

    @Test
    void pullDownloadsTheModelWithProgressAndFailsClearlyForAnUnknownName() throws Exception {
        try (FakeOllama ollama = new FakeOllama().pullable("qwen3:8b")) {
            String pulled = run("pull", "--ollama-url", ollama.url().toString(), "qwen3:8b");
            assertThat(pulled).startsWith("0\n").contains("pulling manifest").contains("pulling aaaaaaaaaaaa: 100% of 4.0 MB")
                    .contains("verifying sha256 digest").contains("qwen3:8b is ready.");

            String unknown = run("pull", "--ollama-url", ollama.url().toString(), "no-such-model");
            assertThat(unknown).startsWith("1\n")
                    .contains("Ollama could not pull 'no-such-model': pull model manifest: file does not exist");
        }
    }

    @Test
    void doctorFixPullsTheMissingDefaultModelAndChecksAgain() throws Exception {
        try (FakeOllama ollama = new FakeOllama().model("llama3.2:1b", "completion").pullable("qwen3:8b")) {
            String fixed = run("doctor", "--fix", "--ollama-url", ollama.url().toString(), "--default-model", "qwen3:8b",
                    "--state-dir", System.getProperty("java.io.tmpdir"));
            assertThat(fixed).contains("Pulling qwen3:8b into Ollama").contains("qwen3:8b is ready.");
            assertThat(fixed.substring(fixed.indexOf("is ready."))).contains("Installed models: qwen3:8b")
                    .doesNotContain("'qwen3:8b' (--default-model) is not installed");
        }
    }

    @Test
    void onATerminalOneLineShowsBytesRateAndTimeLeft() throws Exception {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong();
        PullProgress progress = new PullProgress(new PrintWriter(out), true, now::get);
        progress.accept(line("{\"status\":\"pulling manifest\"}"));
        for (int second = 0; second <= 4; second++) {
            now.set(second * 1_000_000_000L);
            progress.accept(line("{\"status\":\"pulling abc\",\"digest\":\"sha256:abc\",\"total\":10000000,"
                    + "\"completed\":" + second * 2_000_000 + "}"));
        }

        String last = out.toString().substring(out.toString().lastIndexOf('\r') + 1);
        assertThat(last).startsWith("pulling abc [").contains("8.0 MB / 10.0 MB").contains("2.0 MB/s").contains("1 s left");
    }

    private static JsonNode line(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }
}
